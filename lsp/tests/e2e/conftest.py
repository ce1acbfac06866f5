"""Fixtures for driving the real `tauten server` binary (path in $TAUTEN_BIN) with pytest-lsp."""

import os
import pathlib
import shutil

import pytest
import pytest_lsp
from pygls.protocol import default_converter
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features


def tauten_bin() -> str:
    found = os.environ.get("TAUTEN_BIN") or shutil.which("tauten")
    if not found:
        pytest.exit("set TAUTEN_BIN to the tauten binary (scripts/test-lsp.sh does)", returncode=2)
    return found


@pytest.fixture
def workspace(tmp_path: pathlib.Path) -> pathlib.Path:
    """An empty project with a tauten.toml selecting every rule."""
    (tmp_path / "tauten.toml").write_text('select = ["TAU"]\n')
    return tmp_path


def publish_diagnostics(client: LanguageClient, params: types.PublishDiagnosticsParams):
    """pytest-lsp's handler, also recording the version each set of diagnostics is for."""
    client.diagnostics[params.uri] = params.diagnostics
    client.versions[params.uri] = params.version


def make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    client.versions = {}
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish_diagnostics
    register_lsp_features(client, features)
    return client


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[tauten_bin(), "server"], client_factory=make_client)
)
async def client(lsp_client: LanguageClient, workspace: pathlib.Path):
    params = types.InitializeParams(
        capabilities=types.ClientCapabilities(
            workspace=types.WorkspaceClientCapabilities(configuration=False),
            text_document=types.TextDocumentClientCapabilities(
                publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
                    version_support=True, tag_support=None
                ),
            ),
        ),
        root_uri=workspace.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="ws")],
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()
