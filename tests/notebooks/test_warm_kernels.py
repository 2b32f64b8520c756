"""The kernel manager that keeps a rust-nn kernel warm (scripts/warm_kernels.py),
driven as the Jupyter server drives it: a notebook that fits gets the warm
kernel, which answers with nn loaded; a new one warms for the next notebook; a
notebook that asks for another kernel gets one of its own; shutting down leaves no
kernel process behind. Real kernels, started as JupyterLab starts them."""

from __future__ import annotations

import asyncio
import os
import sys
import time

import nbcheck

sys.path.insert(0, str(nbcheck.REPO / "scripts"))
import warm_kernels  # noqa: E402

NOTEBOOKS = nbcheck.NOTEBOOKS_DIR


async def eventually(what, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while (value := what()) is None:
        assert time.monotonic() < deadline, f"not within {seconds} s"
        await asyncio.sleep(0.2)
    return value


async def start_for(manager, notebook):
    """What the server does when `notebook` opens (SessionManager.start_kernel_for_session)."""
    return await manager.start_kernel(
        kernel_name="rust-nn",
        path=str(notebook.parent.relative_to(NOTEBOOKS)),
        env=dict(os.environ, JPY_SESSION_NAME=str(notebook)),
    )


async def run_cell(kernel, code: str) -> str:
    client = kernel.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=nbcheck.STARTUP_TIMEOUT)
        text = []

        def hook(msg):
            if msg["msg_type"] in ("execute_result", "display_data"):
                text.append(msg["content"]["data"].get("text/plain", ""))
            elif msg["msg_type"] in ("stream", "error"):
                text.append(str(msg["content"]))

        reply = await client.execute_interactive(code, output_hook=hook, timeout=nbcheck.CELL_TIMEOUT)
        assert reply["content"]["status"] == "ok", text
        return "".join(text).strip()
    finally:
        client.stop_channels()


def process_groups(manager, *kernels) -> set[int]:
    kms = [manager.get_kernel(k) for k in manager.list_kernel_ids()] + list(kernels)
    return {km.provisioner.pgid for km in kms if km.provisioner is not None}


def alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


async def scenario():
    nbcheck._ensure_cargo_on_path()
    manager = warm_kernels.WarmKernelManager(root_dir=str(NOTEBOOKS))
    groups = set()
    try:
        # A kernel warms as soon as the server runs, before any notebook opens,
        # and the server's list does not show it.
        spare = await eventually(lambda: manager._spare)
        assert manager.list_kernel_ids() == []

        notebook = next(NOTEBOOKS.glob("01-*.ipynb"))
        first = await start_for(manager, notebook)
        assert manager.get_kernel(first) is spare.kernel
        assert manager.list_kernel_ids() == [first]
        # nn is loaded: no :dep needed, as in a kernel that started for this notebook
        assert await run_cell(manager.get_kernel(first), "nn::prelude::Activation::Sigmoid.value(0.0)") == "0.5"

        # The next notebook of the folder gets the next warm kernel.
        second_spare = await eventually(lambda: manager._spare)
        assert second_spare.kernel is not spare.kernel
        second = await start_for(manager, next(NOTEBOOKS.glob("02-*.ipynb")))
        assert manager.get_kernel(second) is second_spare.kernel

        # A notebook that asks for another kernelspec gets a kernel of its own,
        # and the warm one stays for the next rust-nn notebook.
        third_spare = await eventually(lambda: manager._spare)
        other = await manager.start_kernel(kernel_name="rust", path="", env=dict(os.environ))
        assert manager.get_kernel(other) is not third_spare.kernel
        await asyncio.sleep(1)
        assert manager._spare is third_spare
        groups = process_groups(manager, third_spare.kernel)
        assert len(groups) == 4
    finally:
        await manager.shutdown_all(now=True)
    for pgid in groups:
        await eventually(lambda: None if alive(pgid) else True, 30)
    assert manager._spare is None


def test_a_notebook_gets_the_warm_kernel_and_a_new_one_warms():
    asyncio.run(scenario())
