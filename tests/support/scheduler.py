"""One real Airflow (``airflow standalone``: scheduler, dag-processor, triggerer, api-server)
for the whole test session, for what only a scheduler does: Assets, backfills, human approval,
task logs.

Started on first use (tests that do not ask for it pay nothing) and stopped with SIGINT at the end
of the session. Its tasks read ``MOHA_DATA_DIR`` through a symbolic link that each test points at
its own data folder (:meth:`SessionScheduler.use`), so one Airflow serves every test. DAGs have
no schedules (``MOHA_SCHEDULES=off``): only the runs a test triggers run.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from bench.standalone import Standalone, point_link

DAG_IDS = ("ingest_province_files", "build_warehouse", "publish_weekly_aggregate")
APPROVAL_SETTLE_SECONDS = 5.0


class SessionScheduler:
    """The session's ``airflow standalone`` and the REST calls tests make of it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.link = root / "data"
        empty = root / "empty"
        empty.mkdir(parents=True, exist_ok=True)
        point_link(self.link, empty)
        self.airflow = Standalone(root / "airflow", self.link)
        self.started = False

    def start(self) -> None:
        self.airflow.start(DAG_IDS)
        for dag_id in DAG_IDS:
            self.airflow.unpause(dag_id)
        self.started = True

    def stop(self) -> None:
        self.airflow.stop()

    def use(self, data_dir: Path) -> None:
        """Every task from now on works in ``data_dir`` (create it first)."""
        point_link(self.link, data_dir.resolve())

    def trigger(self, dag_id: str, conf: dict | None = None, run_id: str | None = None) -> str:
        """A manual run of ``dag_id`` now; returns its run id."""
        run_id = run_id or f"test__{dag_id}__{uuid.uuid4().hex[:8]}"
        self.airflow.trigger(dag_id, run_id, conf)
        return run_id

    def wait(self, dag_id: str, run_id: str, timeout: float = 600) -> str:
        """The run's final state (``success`` / ``failed``)."""
        return self.airflow.wait_run(dag_id, run_id, timeout=timeout)

    def task_states(self, dag_id: str, run_id: str) -> dict[tuple[str, int], str | None]:
        rows = self.airflow.query(
            "SELECT task_id, map_index, state FROM task_instance WHERE dag_id = ? AND run_id = ?",
            (dag_id, run_id),
        )
        return {(task, index): state for task, index, state in rows}

    def task_log(self, dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> str:
        """The text of every try's log file of one task instance, in try order."""
        folder = (
            self.airflow.home
            / "logs"
            / f"dag_id={dag_id}"
            / f"run_id={run_id}"
            / f"task_id={task_id}"
        )
        if map_index >= 0:
            folder = folder / f"map_index={map_index}"
        files = sorted(folder.glob("attempt=*.log"), key=lambda p: int(p.stem.split("=")[1]))
        return "\n".join(path.read_text(errors="replace") for path in files)

    def pending_approvals(self, dag_id: str, run_id: str) -> list[dict]:
        """The human-in-the-loop requests of a run nobody has answered yet."""
        found = self.airflow.api("GET", f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/hitlDetails")
        details = (found or {}).get("hitl_details", [])
        return [d for d in details if not d.get("response_received")]

    def respond(
        self,
        dag_id: str,
        run_id: str,
        task_id: str,
        option: str,
        params: dict | None = None,
        map_index: int = -1,
    ) -> dict | None:
        """Answer a human-in-the-loop request through the REST API, as the approver's UI does."""
        return self.airflow.api(
            "PATCH",
            f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/{map_index}"
            "/hitlDetails",
            {"chosen_options": [option], "params_input": params or {}},
        )

    def wait_for_approval(self, dag_id: str, run_id: str, timeout: float = 300) -> list[dict]:
        """The run's pending requests once there is one and its task waits for the answer (state
        ``awaiting_input``, as a person sees it under "Required actions"; the request is written
        a moment before the task parks itself)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pending = self.pending_approvals(dag_id, run_id)
            states = self.task_states(dag_id, run_id)
            if pending and all(
                states.get((p["task_instance"]["task_id"], p["task_instance"]["map_index"]))
                == "awaiting_input"
                for p in pending
            ):
                # A person answers seconds later, never at once: an answer given before the
                # executor has reported the parked process's exit makes Airflow 3.3.2 fail the
                # resumed try ("state changed externally") and ask again (docs/limitations.md).
                time.sleep(APPROVAL_SETTLE_SECONDS)
                return pending
            state = self.airflow.run_state(dag_id, run_id)
            if state in {"success", "failed"}:
                raise AssertionError(f"{dag_id} {run_id} ended ({state}) without asking anyone")
            time.sleep(0.5)
        raise AssertionError(f"no approval request in {dag_id} {run_id} after {timeout:.0f} s")
