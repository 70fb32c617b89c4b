"""Province drops on real SFTP and S3 servers (127.0.0.1), ingested through Airflow.

Hồ Chí Minh City (79) drops on an SFTP server (asyncssh, password from an Airflow Connection,
host key verified), Hà Nội (01) in an S3 bucket (moto, keys from environment variables), Đà
Nẵng (48) in the local inbox. The ingest DAG must land every file with the source's own
modification time as received time, leave the source untouched, write its answers back into
each drop's ``phan_hoi/``, land nothing on a second run,
and, when a server goes away mid-listing or cannot be reached, fail that province's task alone
with a one-line error while the others finish. No credential may reach a log, an outcome or a
landed file. Lào Cai (15) sends the forms of ``moha templates``, filled in: every kind is accepted
by the DAG with zero rejections.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from core.weeks import IsoWeek
from tests.support.e2e import data_dir, run_dag
from tests.support.remote import S3Server, SftpServer
from tests.support.templates import fill_template

pytestmark = [pytest.mark.sources, pytest.mark.slow, pytest.mark.airflow]

WEEK = IsoWeek.parse("2025-W40")
SFTP_PP, S3_PP, LOCAL_PP, FORMS_PP = "79", "01", "48", "15"
BUCKET, PREFIX = "hanoi-noivu", "moha/outgoing"
SFTP_FOLDER = "tphcm/bao_cao"
CONN_ID = "moha_sftp_79"


@pytest.fixture
def servers(tmp_path: Path):
    root = tmp_path / "sftp_root"
    root.mkdir()
    sftp = SftpServer(root).start()
    s3 = S3Server().start()
    s3.client().create_bucket(Bucket=BUCKET)
    try:
        yield sftp, s3
    finally:
        sftp.shutdown()
        s3.stop()


def _configure(tmp_path: Path, sftp: SftpServer, s3: S3Server, monkeypatch) -> Path:
    """sources.yml for a mix of local, SFTP and S3 provinces; credentials from the environment."""
    sources = tmp_path / "sources.yml"
    sources.write_text(
        f"""
default:
  url: "{{data_dir}}/inbox/{{province_code}}"
provinces:
  "{SFTP_PP}":
    url: "sftp://127.0.0.1:{sftp.port}/{SFTP_FOLDER}"
    storage_options: {{conn_id: {CONN_ID}, connect_timeout: 5, login_timeout: 5}}
  "{S3_PP}":
    url: "s3://{BUCKET}/{PREFIX}"
    storage_options:
      key: "${{MOHA_S3_KEY_01}}"
      secret: "${{MOHA_S3_SECRET_01}}"
      endpoint_url: "{s3.endpoint}"
      client_kwargs: {{region_name: {s3.region}}}
      config_kwargs: {{connect_timeout: 5, read_timeout: 10, retries: {{max_attempts: 1}}}}
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("MOHA_SOURCES_FILE", str(sources))
    monkeypatch.setenv(
        f"AIRFLOW_CONN_{CONN_ID.upper()}",
        json.dumps(
            {
                "conn_type": "sftp",
                "login": sftp.username,
                "password": sftp.password,
                "extra": {"known_hosts": str(sftp.known_hosts)},
            }
        ),
    )
    monkeypatch.setenv("MOHA_S3_KEY_01", s3.access_key)
    monkeypatch.setenv("MOHA_S3_SECRET_01", s3.secret_key)
    return sources


def _drop(simulated: Path, sftp: SftpServer, s3: S3Server) -> None:
    """Move the simulated files of 79 onto the SFTP server (modification times kept) and
    upload those of 01 to the bucket; 48's stay in the local inbox."""
    target = sftp.root / SFTP_FOLDER
    target.mkdir(parents=True)
    for path in sorted((simulated / "inbox" / SFTP_PP).iterdir()):
        shutil.move(path, target / path.name)
    client = s3.client()
    for path in sorted((simulated / "inbox" / S3_PP).iterdir()):
        client.put_object(Bucket=BUCKET, Key=f"{PREFIX}/{path.name}", Body=path.read_bytes())
        path.unlink()


def _filled_forms(settings) -> dict[str, int]:
    """The province's three forms (``moha templates``) filled in and sent; name → data rows."""
    from ingestion.feedback.templates import write_templates

    sent = {}
    for template in write_templates(settings, FORMS_PP, WEEK):
        sent[template.path.name] = fill_template(template, datetime(2025, 10, 3))
        target = settings.inbox / FORMS_PP / template.path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(template.path.read_bytes())
    return sent


def _sftp_files(sftp: SftpServer) -> dict[str, int]:
    """Name → modification time (whole seconds, as SFTP reports it) of the files the province
    sent (not the answers we write into its ``phan_hoi/``) on the server's disk."""
    return {
        p.name: int(p.stat().st_mtime) for p in (sftp.root / SFTP_FOLDER).iterdir() if p.is_file()
    }


def _s3_files(s3: S3Server) -> dict[str, datetime]:
    listed = s3.client().list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/", Delimiter="/")[
        "Contents"
    ]
    return {o["Key"].rsplit("/", 1)[1]: o["LastModified"].astimezone(UTC) for o in listed}


def _registry(settings, province: str) -> dict[str, dict]:
    rows = [
        pq.read_table(p).to_pylist()[0]
        for p in sorted((settings.staged / "files" / province).glob("*.parquet"))
    ]
    return {row["file_name"]: row for row in rows}


def _outcomes(settings) -> list[dict]:
    rows = [pq.read_table(p).to_pylist()[0] for p in settings.staged.glob("outcomes/*/*.parquet")]
    return sorted(rows, key=lambda r: r["started_at"])


def _last_run(settings) -> dict[str, dict]:
    """Province → its outcome in the latest ingest run (the latest try of each province)."""
    rows = _outcomes(settings)
    run_id = rows[-1]["run_id"]
    return {r["province_code"]: r for r in rows if r["run_id"] == run_id}


def _secrets_absent(folder: Path, secrets: list[str], text: str) -> None:
    for secret in secrets:
        assert secret not in text, "a credential reached the logs"
        for path in folder.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), f"a credential is in {path}"


def test_sftp_and_s3_drops_land_with_source_times_and_stay_at_the_source(
    tmp_path, servers, monkeypatch, capfd, caplog
):
    import simulator

    sftp, s3 = servers
    _configure(tmp_path, sftp, s3, monkeypatch)
    with data_dir(tmp_path / "data") as settings:
        simulator.simulate(settings, [WEEK], [SFTP_PP, S3_PP, LOCAL_PP], seed=5, fault_rate=0.0)
        _drop(settings.data_dir, sftp, s3)
        on_sftp, in_bucket = _sftp_files(sftp), _s3_files(s3)
        assert len(on_sftp) >= 3 and len(in_bucket) >= 3
        forms = _filled_forms(settings)

        run_dag("ingest_province_files", {"week": str(WEEK)})

        first = _last_run(settings)
        assert all(first[pp]["status"] == "succeeded" for pp in (SFTP_PP, S3_PP, LOCAL_PP))
        assert first[SFTP_PP]["source_url"] == f"sftp://127.0.0.1:{sftp.port}/{SFTP_FOLDER}"
        assert first[S3_PP]["source_url"] == f"s3://{BUCKET}/{PREFIX}"
        landed_sftp, landed_s3 = _registry(settings, SFTP_PP), _registry(settings, S3_PP)
        assert set(landed_sftp) == set(on_sftp) and set(landed_s3) == set(in_bucket)
        for name, mtime in on_sftp.items():  # received time = the server's modification time
            assert landed_sftp[name]["received_at"] == datetime.fromtimestamp(mtime, UTC), name
        for name, modified in in_bucket.items():  # S3: LastModified
            assert landed_s3[name]["received_at"] == modified, name
        assert _registry(settings, LOCAL_PP)
        filled = _registry(settings, FORMS_PP)
        assert {
            n: (r["status"], r["rows_accepted"], r["rows_rejected"]) for n, r in filled.items()
        } == {name: ("accepted", rows, 0) for name, rows in forms.items()}

        # the answers went back into each drop's phan_hoi/ (tests/ingestion/test_feedback_delivery)
        answers = f"phan_hoi/{WEEK}/tong_hop_tuan_{WEEK}.xlsx"
        assert (sftp.root / SFTP_FOLDER / answers).is_file()
        assert s3.client().head_object(Bucket=BUCKET, Key=f"{PREFIX}/{answers}")
        assert (settings.inbox / LOCAL_PP / answers).is_file()
        # nothing is deleted or changed at the source
        assert _sftp_files(sftp) == on_sftp and _s3_files(s3) == in_bucket

        files_before = sorted(p for p in settings.landing.rglob("*") if p.is_file())
        run_dag("ingest_province_files", {"week": str(WEEK)})
        second = _last_run(settings)
        assert second[SFTP_PP]["run_id"] != first[SFTP_PP]["run_id"]
        for pp in (SFTP_PP, S3_PP, LOCAL_PP):
            assert second[pp]["status"] == "succeeded"
            assert second[pp]["files_landed"] == 0
            assert second[pp]["files_skipped"] == first[pp]["files_landed"]
        assert sorted(p for p in settings.landing.rglob("*") if p.is_file()) == files_before
        assert _sftp_files(sftp) == on_sftp and _s3_files(s3) == in_bucket

        logs = capfd.readouterr()
        _secrets_absent(
            settings.data_dir,
            [sftp.password, s3.secret_key],
            logs.out + logs.err + caplog.text,
        )


def test_a_server_gone_mid_listing_fails_only_its_province(tmp_path, servers, monkeypatch):
    import simulator
    from moha.cycle import load_dags
    from moha.cycle import run_dag as run

    sftp, s3 = servers
    _configure(tmp_path, sftp, s3, monkeypatch)
    with data_dir(tmp_path / "data") as settings:
        simulator.simulate(settings, [WEEK], [SFTP_PP, S3_PP, LOCAL_PP], seed=5, fault_rate=0.0)
        _drop(settings.data_dir, sftp, s3)
        sftp.drop_during_listing(every_time=True)  # the SFTP server dies mid-listing, each try
        s3.stop()  # the S3 endpoint is gone

        started = time.monotonic()
        outcome = run(load_dags(("ingest_province_files",))["ingest_province_files"], None)
        elapsed = time.monotonic() - started

        # two failed provinces are under MOHA_MAX_FAILED_PROVINCES (3): the run succeeds
        assert outcome.state == "success", outcome.failed_tasks
        assert sorted(outcome.failed_tasks) == [
            "ingest_province[01 Hà Nội]",
            "ingest_province[79 Hồ Chí Minh]",
        ]
        assert sftp.listings >= 3  # every try reached the listing
        last = _last_run(settings)
        assert last[LOCAL_PP]["status"] == "succeeded" and last[LOCAL_PP]["files_landed"] >= 3
        sftp_error, s3_error = last[SFTP_PP]["error"], last[S3_PP]["error"]
        assert last[SFTP_PP]["status"] == last[S3_PP]["status"] == "failed"
        for error in (sftp_error, s3_error):
            assert "\n" not in error and len(error) < 400, error
        assert sftp_error.startswith(
            f"province {SFTP_PP}: cannot list sftp://127.0.0.1:{sftp.port}/{SFTP_FOLDER}: "
        )
        assert s3_error.startswith(f"province {S3_PP}: cannot list s3://{BUCKET}/{PREFIX}: ")
        assert not _registry(settings, SFTP_PP) and not _registry(settings, S3_PP)
        assert elapsed < 240, f"a dead server held the run for {elapsed:.0f} s"
        _secrets_absent(settings.data_dir, [sftp.password, s3.secret_key], "")


def test_a_silent_server_times_out_instead_of_hanging(tmp_path, monkeypatch):
    """A server that accepts the TCP connection and never answers: the connect timeout fires."""
    from ingestion.intake.sources import Source, SourceError, list_files

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        for url, options in (
            (f"sftp://127.0.0.1:{port}/drop", {"connect_timeout": 2, "known_hosts": None}),
            (
                "s3://bucket/drop",
                {
                    "key": "${MOHA_TEST_KEY}",
                    "secret": "${MOHA_TEST_SECRET}",
                    "endpoint_url": f"http://127.0.0.1:{port}",
                    "config_kwargs": {
                        "connect_timeout": 2,
                        "read_timeout": 2,
                        "retries": {"max_attempts": 1},
                    },
                    "retries": 1,
                },
            ),
        ):
            monkeypatch.setenv("MOHA_TEST_KEY", "AKIAEXAMPLE")
            monkeypatch.setenv("MOHA_TEST_SECRET", "not-a-real-secret")
            started = time.monotonic()
            with pytest.raises(SourceError) as raised:
                list_files(Source("79", url, options))
            assert time.monotonic() - started < 30, url
            assert "\n" not in str(raised.value) and str(raised.value).startswith(
                "province 79: cannot list "
            )


@pytest.mark.parametrize(
    ("url", "options", "named"),
    [
        ("sftp://h/x", {"username": "u", "password": "hunter2"}, "storage_options.password"),
        ("s3://b/x", {"key": "AKIA1", "secret": "s"}, "storage_options.key"),
        ("s3://b/x", {"client_kwargs": {"aws_secret_access_key": "s"}}, "aws_secret_access_key"),
        ("sftp://u:hunter2@h/x", {}, "url (user:password@host)"),
    ],
)
def test_clear_text_credentials_in_sources_yml_are_refused(url, options, named):
    from ingestion.intake.sources import Source, SourceError, list_files

    with pytest.raises(SourceError, match="clear text") as raised:
        list_files(Source("79", url, options))
    message = str(raised.value)
    assert named in message and "hunter2" not in message and "conn_id" in message


def test_credentials_come_from_connections_and_environment(monkeypatch):
    from ingestion.intake.sources import Source, SourceError, filesystem_options

    monkeypatch.setenv(
        "AIRFLOW_CONN_MOHA_S3_01",
        json.dumps(
            {
                "conn_type": "aws",
                "login": "AKIAFROMCONN",
                "password": "secret-from-conn",
                "extra": {"endpoint_url": "http://minio:9000", "region_name": "ap-southeast-1"},
            }
        ),
    )
    options = filesystem_options(
        Source("01", "s3://b/x", {"conn_id": "moha_s3_01", "config_kwargs": {"read_timeout": 7}})
    )
    assert options["key"] == "AKIAFROMCONN" and options["secret"] == "secret-from-conn"
    assert options["endpoint_url"] == "http://minio:9000"
    assert options["client_kwargs"] == {"region_name": "ap-southeast-1"}
    assert options["config_kwargs"]["read_timeout"] == 7  # sources.yml wins over defaults
    assert options["config_kwargs"]["connect_timeout"] == 30

    monkeypatch.setenv("MOHA_SFTP_PASSWORD_79", "from-env")
    options = filesystem_options(
        Source("79", "sftp://h/x", {"username": "moha", "password": "${MOHA_SFTP_PASSWORD_79}"})
    )
    assert options["password"] == "from-env" and options["known_hosts"] == ()
    assert options["connect_timeout"] == 30 and options["keepalive_interval"] == 15

    monkeypatch.delenv("MOHA_SFTP_PASSWORD_79")
    with pytest.raises(SourceError, match=r"MOHA_SFTP_PASSWORD_79 .* is not set"):
        filesystem_options(Source("79", "sftp://h/x", {"password": "${MOHA_SFTP_PASSWORD_79}"}))
    with pytest.raises(SourceError, match="moha_nope"):
        filesystem_options(Source("79", "sftp://h/x", {"conn_id": "moha_nope"}))
    assert os.environ.get("AIRFLOW_CONN_MOHA_NOPE") is None
