"""A Jupyter server kernel manager that keeps one `rust-nn` kernel warm.

A `rust-nn` kernel needs about 14 s of one core before it can answer its
first cell (docs/performance.md, "Where the time goes"): evcxr analyses std,
loads nn and answers a first type question. This manager does that work
before the learner opens a notebook: it keeps one spare kernel running in
the folder of the last notebook opened (at the start, the folder JupyterLab
serves), and when a notebook in that folder asks for a `rust-nn` kernel it
gets the spare, already warm, and a new spare starts for the next notebook.

A notebook gets the spare only when a fresh kernel would have started the
same way: same kernelspec, same working folder, and the same start-up lines
(`rust_nn_kernel.init_lines`: `:cache` and the notebook's own `:dep nn`
line). Otherwise it gets a fresh kernel, as without this manager. The spare
is not in the server's list of kernels until it is handed over, and it is
shut down with the server.

Used by `./kernel-install.sh --lab` and the browser test:

    PYTHONPATH=scripts jupyter lab --ServerApp.kernel_manager_class=warm_kernels.WarmKernelManager
"""

from __future__ import annotations

import asyncio
import atexit
import os
import signal
import uuid
from dataclasses import dataclass

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager, ServerKernelManager
from tornado.ioloop import IOLoop
from traitlets import Float, Unicode

import rust_nn_kernel


class WarmKernel(ServerKernelManager):
    """A kernel started before any notebook asked for it.

    When the server takes it over it calls `start_kernel` as for any new
    kernel; a kernel that is running already then has nothing to do.
    """

    async def start_kernel(self, **kw):
        if self.has_kernel:
            return
        await super().start_kernel(**kw)


@dataclass
class Spare:
    kernel: WarmKernel
    cwd: str
    init_lines: list[str]


class WarmKernelManager(AsyncMappingKernelManager):
    """AsyncMappingKernelManager that hands each notebook a kernel started earlier."""

    warm_kernel_name = Unicode("rust-nn", config=True, help="The kernelspec kept warm.")
    warm_after = Float(
        5.0,
        config=True,
        help="Seconds after a notebook opens before the next kernel starts warming: "
        "the notebook's first cells get the machine to themselves.",
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.kernel_spec_manager is None:  # outside a server (the tests, the latency script)
            self.kernel_spec_manager = KernelSpecManager(parent=self)
        self._spare: Spare | None = None
        self._lock = asyncio.Lock()  # one spare at a time is started or stopped
        self._closing = False
        # The server's event loop exists already (it is made before the
        # kernel manager) and runs this once it starts.
        IOLoop.current().add_callback(self._keep_warm, os.path.realpath(self.root_dir), None)
        # jupyter_server does not always get to shutdown_all when it stops (on
        # SIGTERM with no notebook open, it exits while stopping its
        # extensions); the spare must not outlive it.
        atexit.register(self._kill_spare)

    def pre_start_kernel(self, kernel_name, kwargs):
        """The kernel for a new notebook: the spare if it fits, else a new one."""
        km, kernel_name, kernel_id = super().pre_start_kernel(kernel_name, kwargs)
        if kernel_name != self.warm_kernel_name:
            return km, kernel_name, kernel_id
        cwd = os.path.realpath(kwargs.get("cwd") or self.root_dir)
        notebook = (kwargs.get("env") or {}).get("JPY_SESSION_NAME")
        spare, self._spare = self._spare, None
        if spare is not None and self._fits(spare, cwd, notebook):
            self.log.info("rust-nn: a warm kernel for %s", notebook or cwd)
            km = spare.kernel
            km.kernel_id = kernel_id
        elif spare is not None:
            self._spare = spare  # it may fit the next one
        IOLoop.current().call_later(self.warm_after, self._keep_warm, cwd, notebook)
        return km, kernel_name, kernel_id

    def _fits(self, spare: Spare, cwd: str, notebook: str | None) -> bool:
        ready = spare.kernel.ready
        return (
            spare.cwd == cwd
            and spare.kernel.has_kernel
            and ready.done()
            and ready.exception() is None
            and rust_nn_kernel.init_lines(cwd, notebook)[0] == spare.init_lines
        )

    async def _keep_warm(self, cwd: str, notebook: str | None) -> None:
        """Make sure a spare kernel runs in `cwd`, started as a kernel for `notebook` would be."""
        async with self._lock:
            await self._start_spare(cwd, notebook)

    async def _start_spare(self, cwd: str, notebook: str | None) -> None:
        lines, loads_nn = rust_nn_kernel.init_lines(cwd, notebook)
        if self._closing or not loads_nn:
            return  # nothing to gain: the kernel would not load nn while it starts
        old = self._spare
        if old is not None and old.cwd == cwd and old.init_lines == lines:
            return
        self._spare = None
        if old is not None:
            await old.kernel.shutdown_kernel(now=True)
        try:
            self.kernel_spec_manager.get_kernel_spec(self.warm_kernel_name)
        except NoSuchKernel:
            self.log.warning("rust-nn: no kernelspec %r, so no kernel is kept warm", self.warm_kernel_name)
            return
        spare_id = str(uuid.uuid4())
        kernel = WarmKernel(
            connection_file=os.path.join(self.connection_dir, f"kernel-{spare_id}.json"),
            parent=self,
            log=self.log,
            kernel_name=self.warm_kernel_name,
            kernel_spec_manager=self.kernel_spec_manager,
        )
        env = dict(os.environ)
        if notebook:
            env["JPY_SESSION_NAME"] = notebook
        try:
            await kernel.start_kernel(cwd=cwd, env=env, kernel_id=spare_id)
        except Exception:
            self.log.exception("rust-nn: the warm kernel did not start")
            return
        if self._closing:
            await kernel.shutdown_kernel(now=True)
            return
        self._spare = Spare(kernel, cwd, lines)
        self.log.info("rust-nn: a kernel is warming in %s", cwd)

    def _kill_spare(self) -> None:
        spare, self._spare = self._spare, None
        pgid = spare.kernel.provisioner.pgid if spare is not None and spare.kernel.provisioner else None
        if pgid:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    async def shutdown_all(self, now: bool = False) -> None:
        """Shut down every kernel, the spare too."""
        self._closing = True
        async with self._lock:
            spare, self._spare = self._spare, None
            if spare is not None:
                await spare.kernel.shutdown_kernel(now=True)
        await super().shutdown_all(now=now)
