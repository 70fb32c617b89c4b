"""Which version is in effect and what to send next, from a kind and week's registry rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ingestion.stage.province_files import first_accepted, in_effect, next_name, standing
from ingestion.stage.staging import RegistryRow

T0 = datetime(2025, 8, 29, 3, 0, tzinfo=UTC)


def row(file_id: str, name: str, version: int, status: str, hours: int = 0) -> RegistryRow:
    return RegistryRow(
        file_id=file_id,
        file_sha256="0" * 64,
        province_code="15",
        file_name=name,
        kind="staffing",
        week="2025-W35",
        week_start=None,
        version=version,
        bytes=1,
        received_at=T0 + timedelta(hours=hours),
        landed_at=T0 + timedelta(hours=hours),
        landing_path="x",
        status=status,
        rows_total=1,
        rows_accepted=1,
        rows_rejected=0,
        file_reason_code=None,
        filed_week="2025-W35",
    )


V1 = row("a", "nhan_su_2025-W35.xlsx", 1, "accepted")
V2 = row("b", "nhan_su_2025-W35_v2.xlsx", 2, "rejected", hours=5)
V3 = row("c", "nhan_su_2025-W35_v3.csv", 3, "partly_accepted", hours=9)


def test_a_rejected_version_never_takes_effect_but_uses_up_its_number():
    assert in_effect([V1, V2]) == V1
    assert next_name([V1, V2], "staffing", "2025-W35", like=V2.file_name) == (
        "nhan_su_2025-W35_v3.xlsx"
    )
    placed = standing([V1], V2)
    assert placed.in_effect == V1 and placed.replaced is None
    assert placed.next_name == "nhan_su_2025-W35_v3.xlsx"


def test_a_correction_takes_over_and_the_first_accepted_decides_timeliness():
    placed = standing([V1, V2], V3)
    assert placed.is_in_effect(V3) and placed.replaced == V1
    assert placed.first_accepted == V1 == first_accepted([V3, V2, V1])
    assert placed.next_name == "nhan_su_2025-W35_v4.csv"  # the sender's alias and extension


def test_same_version_twice_the_later_one_wins_and_nothing_sent_gives_the_default_name():
    again = row("d", "bien_che_2025-W35.xlsx", 1, "accepted", hours=2)
    assert in_effect([V1, again]) == again
    assert next_name([], "obstacles", "2025-W35", like=None) == "vuong_mac_2025-W35.xlsx"
