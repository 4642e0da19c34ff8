"""Kernels the tests start talk over Unix sockets (IPC), not TCP (on the test path:
``from kernels import IPC_KERNEL_CONFIG``).

jupyter_client picks a kernel's TCP ports by binding port 0 and releasing them; the kernel
binds them a moment later. Under the full suite's load (four workers, Chromium, Jupyter and
Voila servers, each opening connections from ephemeral ports) another process took such a
port in that window: the kernel died with ZMQError "Address already in use" and the test waited
for a kernel that never came. Unix sockets in the runtime dir cannot be taken that way.
The JupyterLab and Voila servers get the same setting on their command line
(``browser_support.KERNEL_TRANSPORT_FLAGS``).
"""

from __future__ import annotations

__all__ = ["ipc_kernel_config", "ipc_socket_prefix", "use_ipc_kernels_in_nbval"]

import tempfile
import uuid
from pathlib import Path


def ipc_socket_prefix() -> str:
    """A new absolute path prefix for one kernel's five sockets (``<prefix>-1`` ... ``-5``).

    Without one, a kernel manager outside a server names them ``kernel-ipc-N`` relative to the
    current directory, which the kernel (started in the notebook's directory) and the client
    resolve differently, and two kernels in one directory would share. The temporary directory
    keeps the path well under the 107 bytes a socket path may have; jupyter_client removes the
    sockets when the kernel is cleaned up.
    """
    return str(Path(tempfile.gettempdir()) / f"ipcm-kernel-{uuid.uuid4().hex[:16]}")


def ipc_kernel_config():
    """A ``traitlets.config.Config`` for one ``NotebookClient``: its kernel on new IPC sockets."""
    from traitlets.config import Config

    return Config({"KernelManager": {"transport": "ipc", "ip": ipc_socket_prefix()}})


def use_ipc_kernels_in_nbval() -> None:
    """Make nbval start its kernels with the IPC transport.

    nbval builds its ``KernelManager`` without a configuration, so the class it uses is replaced
    by a subclass whose transport defaults to IPC, each kernel on new sockets
    (nbval.kernel.start_new_kernel looks the name up in its module for each notebook's kernel).
    """
    import nbval.kernel
    from jupyter_client.manager import KernelManager
    from traitlets import default

    if getattr(nbval.kernel.KernelManager, "ipcmodel_ipc", False):
        return
    # fail loudly if a later nbval builds its kernels some other way
    assert "KernelManager" in nbval.kernel.start_new_kernel.__code__.co_names, nbval.__file__

    class IpcKernelManager(KernelManager):
        ipcmodel_ipc = True

        @default("transport")
        def _transport_default(self) -> str:
            return "ipc"

        @default("ip")
        def _ip_default(self) -> str:
            return ipc_socket_prefix()

    nbval.kernel.KernelManager = IpcKernelManager
