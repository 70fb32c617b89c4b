"""Mail to the provinces through Airflow's SMTP connection, received by a real SMTP server on
127.0.0.1 (aiosmtpd, in this process): the weekly summary after a change and never after a
rerun without one, rate-bounded; the Monday reminder exactly to the provinces missing a kind,
once, naming the files to send."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.settings import load_settings
from core.weeks import IsoWeek
from ingestion.province import process_province
from moha.province_mail import mail_summaries, remind_provinces
from moha.values_to_check import rewrite_summaries
from tests.support.forms import (
    OBSTACLE_HEADER,
    SECONDMENT_HEADER,
    STAFFING_HEADER,
    csv_bytes,
    drop,
    obstacle_rows,
    secondment_rows,
    staffing_rows,
)
from tests.support.smtp import SmtpServer
from tests.support.values_to_check import outlier, plant

pytestmark = pytest.mark.slow  # an SMTP server and Airflow's SMTP hook

WEEK = IsoWeek.parse("2025-W35")
PARTIAL, COMPLETE, SILENT, NO_CONTACT = "15", "48", "79", "01"
ADDRESS = {
    PARTIAL: "so-noi-vu@laocai.example",
    COMPLETE: "so-noi-vu@danang.example",
    SILENT: "so-noi-vu@tphcm.example",
}


@pytest.fixture
def mail_settings(tmp_path, monkeypatch, settings):
    server = SmtpServer().start()
    contacts = tmp_path / "contacts.yml"
    contacts.write_text(
        "ministry: {to: [bo@bonoivu.example]}\nprovinces:\n"
        + "".join(f'  "{code}": {{to: ["{address}"]}}\n' for code, address in ADDRESS.items()),
        encoding="utf-8",
    )
    monkeypatch.setenv("MOHA_CONTACTS_FILE", str(contacts))
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", server.connection())
    try:
        yield load_settings(), server
    finally:
        server.stop()


def _staffing(settings, code: str, name: str = f"bien_che_{WEEK}.csv", rows: int = 5) -> None:
    drop(settings, code, name, csv_bytes(STAFFING_HEADER, staffing_rows(rows, code)))


def _parts(message) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if part.get_content_type() in ("text/plain", "text/html")
    }


def _attachments(message) -> list[str]:
    return [part.get_filename() for part in message.iter_attachments()]


def test_the_summary_is_mailed_after_a_change_and_never_after_a_rerun(mail_settings):
    settings, server = mail_settings
    _staffing(settings, PARTIAL)
    process_province(settings, PARTIAL)
    process_province(settings, COMPLETE)  # nothing sent: no summary, no mail

    assert mail_summaries(settings).mailed == (PARTIAL,)
    [mail] = server.messages
    assert mail["X-Envelope-To"] == ADDRESS[PARTIAL]
    assert mail["From"] == "bao-cao@bonoivu.example"
    assert str(WEEK) in mail["Subject"] and "Lào Cai" in mail["Subject"]
    parts = _parts(mail)
    assert set(parts) == {"text/plain", "text/html"}
    assert "Kính gửi Sở Nội vụ Lào Cai" in parts["text/plain"]
    assert f"bien_che_{WEEK}.csv" in parts["text/plain"]  # the file in effect
    assert "phan_hoi/" in parts["text/plain"]
    assert "<table" in parts["text/html"] and "Biên chế, nhân sự" in parts["text/html"]
    assert _attachments(mail) == [f"tong_hop_tuan_{WEEK}.xlsx"]

    process_province(settings, PARTIAL)  # a rerun: nothing new
    assert mail_summaries(settings).mailed == () and len(server.messages) == 1

    _staffing(settings, PARTIAL, f"bien_che_{WEEK}_v2.csv", rows=7)  # a correction arrives
    process_province(settings, PARTIAL)
    assert mail_summaries(settings).mailed == ()  # within the hour after the last mail: it waits
    later = datetime.now(UTC) + timedelta(minutes=settings.mail.min_interval_minutes + 1)
    assert mail_summaries(settings, now=later).mailed == (PARTIAL,)
    assert len(server.to(ADDRESS[PARTIAL])) == 2
    assert f"bien_che_{WEEK}_v2.csv" in _parts(server.messages[-1])["text/plain"]
    assert mail_summaries(settings, now=later + timedelta(hours=2)).mailed == ()
    assert not server.to(ADDRESS[COMPLETE])

    # a build finds a value to check: the rewritten summary is mailed, pointing to section 4
    plant(settings, [outlier(str(WEEK), PARTIAL)])
    assert rewrite_summaries(settings)
    assert mail_summaries(settings, now=later + timedelta(hours=3)).mailed == (PARTIAL,)
    assert "Đề nghị kiểm tra lại" in _parts(server.messages[-1])["text/plain"]
    assert len(server.to(ADDRESS[PARTIAL])) == 3


def test_the_reminder_goes_once_to_exactly_the_provinces_missing_a_kind(mail_settings):
    settings, server = mail_settings
    _staffing(settings, PARTIAL)
    _staffing(settings, COMPLETE)
    drop(
        settings,
        COMPLETE,
        f"biet_phai_{WEEK}.csv",
        csv_bytes(SECONDMENT_HEADER, secondment_rows(3, COMPLETE)),
    )
    drop(
        settings,
        COMPLETE,
        f"vuong_mac_{WEEK}.csv",
        csv_bytes(OBSTACLE_HEADER, obstacle_rows(3, COMPLETE)),
    )
    # a rejected secondments file counts as missing: the next name carries _v2
    drop(settings, PARTIAL, f"biet_phai_{WEEK}.csv", b"not,a,form\n1,2,3\n")
    for code in (PARTIAL, COMPLETE):
        outcome = process_province(settings, code)
        assert outcome.files_landed >= 1

    reminded = remind_provinces(settings, WEEK)
    expected = {
        PARTIAL: [f"biet_phai_{WEEK}_v2.csv", f"vuong_mac_{WEEK}.xlsx"],
        SILENT: [f"bien_che_{WEEK}.xlsx", f"biet_phai_{WEEK}.xlsx", f"vuong_mac_{WEEK}.xlsx"],
    }
    assert reminded == expected  # 01 misses everything too, but has no contact
    assert sorted(m["X-Envelope-To"] for m in server.messages) == sorted(
        ADDRESS[code] for code in expected
    )
    for code, names in expected.items():
        [mail] = server.to(ADDRESS[code])
        parts = _parts(mail)
        for name in names:
            assert name in parts["text/plain"] and name in parts["text/html"]
        assert "12:00" in mail["Subject"] and str(WEEK) in mail["Subject"]
    [partial] = server.to(ADDRESS[PARTIAL])
    assert f"bien_che_{WEEK}" not in _parts(partial)["text/plain"]  # received: not asked again
    assert _attachments(partial) == [f"tong_hop_tuan_{WEEK}.xlsx"]

    assert remind_provinces(settings, WEEK) == {}  # the DAG rerun: nobody mailed twice
    assert len(server.messages) == 2


def test_a_mail_that_cannot_go_is_reported_and_sent_by_the_next_run(mail_settings, monkeypatch):
    settings, server = mail_settings
    _staffing(settings, PARTIAL)
    process_province(settings, PARTIAL)
    down = SmtpServer()  # never started: nothing listens on its port
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", down.connection())

    mailing = mail_summaries(settings)
    assert mailing.mailed == () and [f[:4] for f in mailing.failed] == [f"{PARTIAL}: "]
    assert not server.messages

    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", server.connection())
    assert mail_summaries(settings).mailed == (PARTIAL,)
    assert len(server.to(ADDRESS[PARTIAL])) == 1


@pytest.mark.airflow
def test_the_remind_provinces_dag_mails_the_missing_once(mail_settings):
    from tests.support.e2e import run_dag

    settings, server = mail_settings
    _staffing(settings, PARTIAL)
    process_province(settings, PARTIAL)

    for _ in range(2):  # the DAG run twice for the week: one mail per province missing a kind
        run_dag("remind_provinces", {"week": str(WEEK)})
    # every province with contacts misses a kind here (48 and 79 sent nothing); 01 has none
    assert sorted(m["X-Envelope-To"] for m in server.messages) == sorted(ADDRESS.values())
    assert f"vuong_mac_{WEEK}.xlsx" in _parts(server.to(ADDRESS[PARTIAL])[0])["text/plain"]
