import os


async def reap(pid, status):
    os.waitpid(pid, 0)  # waits for the child: reported
    return os.waitstatus_to_exitcode(status)  # arithmetic on a status: not reported
