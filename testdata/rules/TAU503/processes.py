import os
import subprocess
from subprocess import check_output as run_it


async def build():
    subprocess.run(["make"])
    subprocess.Popen(["make"])
    run_it(["git", "rev-parse", "HEAD"])
    os.system("make")
    os.popen("ls")
    os.waitpid(0, 0)
    os.spawnl(os.P_WAIT, "/bin/true", "true")
