"""Connecting to Ray: a cluster at an address, or a local Ray on this machine."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import AssistantError

LOCAL_CPUS = 2  # a local Ray (no address) uses this many CPUs unless $ASSISTANT_RAY_CPUS says otherwise


def start_ray(address: str | None) -> Any:
    """The ``ray`` module, connected: to ``address`` (``ray://HOST:10001`` or ``HOST:6379``),
    else to a new local Ray. Workers import this copy of the assistant (its folder goes on
    their ``PYTHONPATH``) and run offline like the driver."""
    try:
        import ray
    except ImportError as exc:
        raise AssistantError("--ray needs Ray: pip install 'ray[data]' (or the project's 'scale' extra)") from exc
    package_root = str(Path(__file__).resolve().parents[2])
    env = {name: os.environ[name] for name in ("HF_HUB_OFFLINE", "TOKENIZERS_PARALLELISM", "OMP_WAIT_POLICY",
                                               "ASSISTANT_DEVICE") if name in os.environ}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
    if ray.is_initialized():
        return ray
    options: dict[str, Any] = {"runtime_env": {"env_vars": env}, "log_to_driver": False,
                               "include_dashboard": False}
    if address:
        options["address"] = address
    else:
        options["num_cpus"] = int(os.environ.get("ASSISTANT_RAY_CPUS", LOCAL_CPUS))
    try:
        ray.init(**options)
    except Exception as exc:  # noqa: BLE001 - a failed connection is one clear line
        raise AssistantError(f"cannot start Ray{' at ' + address if address else ''} "
                             f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})") from exc
    ray.data.DataContext.get_current().enable_progress_bars = False
    return ray


def workers(ray: Any) -> tuple[int, int]:
    """(actors, GPUs per actor): one actor per GPU where the cluster has GPUs, else one
    per CPU."""
    resources = ray.cluster_resources()
    gpus = int(resources.get("GPU", 0))
    if gpus:
        return gpus, 1
    return max(1, int(resources.get("CPU", 1))), 0
