"""Public services for the simulation: Disdukcapil counter, MPP gerai, puskesmas, tourist information.

Office hours (an assumption matching common Pemko practice): Monday-Thursday
07:30-16:00 with a break 12:00-13:00, Friday 07:30-16:30 with the Friday
prayer break 11:30-13:30. Puskesmas serve outpatients in the morning (and on
Saturday); the Tourist Information Center also opens on weekends and holidays.

Demand (arrivals per hour) is an assumption scaled to a city of ~67,000
people. The tourism season uses the Lebaran 2025 count (peak 8,442 visits/day,
mean ~5,842/day over 1-5 April, against ~2,000/day on ordinary busy days): a
multiplier of about 3.5 for the Lebaran 2026 week. The Info Box counted 424
visits in those five days (~85/day), which sets the ordinary level near
85 / 3.5 = ~24 visits/day.
"""

from __future__ import annotations

from .positions import Post

OFFICE = {
    "mon_thu": (("07:30", "12:00", 1.0), ("13:00", "16:00", 0.6)),
    "fri": (("07:30", "11:30", 0.9), ("13:30", "16:30", 0.55)),
}
PUSKESMAS_HOURS = {
    "mon_thu": (("07:30", "12:00", 1.0), ("12:00", "14:00", 0.35)),
    "fri": (("07:30", "11:00", 0.9),),
    "sat": (("07:30", "12:00", 0.7),),
}
TOURIST_HOURS = {
    "mon_thu": (("08:00", "16:00", 1.5),),
    "fri": (("08:00", "16:30", 2.0),),
    "sat": (("08:00", "17:00", 5.0),),
    "sun": (("08:00", "17:00", 6.0),),
    "holiday": (("08:00", "17:00", 6.0),),
}
SEASONS = (
    {"label": "Libur Lebaran 2026", "start": "2026-03-19", "end": "2026-03-25", "multiplier": 3.5},
    {"label": "Libur sekolah semester genap 2026", "start": "2026-06-27", "end": "2026-07-12", "multiplier": 1.8},
    {"label": "Libur Natal dan Tahun Baru 2026/2027", "start": "2026-12-19", "end": "2027-01-03", "multiplier": 1.6},
)
#: Relative demand of each puskesmas (Kolok is the inpatient one, Talawi the largest kecamatan).
PUSKESMAS_SCALE = {
    "PKM-KOLOK": 1.3,
    "PKM-TALAWI": 1.2,
    "PKM-SILUNGKANG": 0.9,
    "PKM-LUNTO": 1.0,
    "PKM-SUNGAI-DURIAN": 0.8,
    "PKM-SANTUR": 0.9,
}


def _slots(hours: dict, peak: float) -> list[dict]:
    """Arrival slots: ``peak`` per hour scaled by each slot's factor."""
    return [
        {"day_type": day, "start": start, "end": end, "per_hour": round(peak * factor, 1)}
        for day, slots in hours.items()
        for start, end, factor in slots
    ]


def _service(
    sid: str,
    unit: str,
    name: str,
    slots: list[dict],
    time: dict,
    positions: list[str],
    target: tuple[float, float],
    *,
    monthly: dict | None = None,
    seasonal: tuple = (),
    competency: tuple[str, int] | None = None,
) -> dict:
    demand: dict = {"slots": slots}
    if monthly:
        demand["monthly"] = monthly
    if seasonal:
        demand["seasonal"] = [dict(s) for s in seasonal]
    servers: dict = {"positions": positions}
    if competency:
        servers["competencies"] = [{"dimension": "teknis", "code": competency[0], "level": competency[1]}]
    return {
        "id": sid,
        "unit": unit,
        "name": name,
        "demand": demand,
        "service_time": time,
        "servers": servers,
        "target": {"wait_minutes": target[0], "share": target[1]},
    }


def _lognormal(mean: float, cv: float) -> dict:
    return {"distribution": "lognormal", "mean_minutes": mean, "cv": cv}


def _gamma(mean: float, cv: float) -> dict:
    return {"distribution": "gamma", "mean_minutes": mean, "cv": cv}


def build_services(posts: list[Post]) -> list[dict]:
    """All services, each server position checked to exist."""
    known = {p.id for p in posts}
    dukcapil = ["LOKET-DUKCAPIL.OPERATOR-DUKCAPIL"]
    both = [*dukcapil, "LOKET-DUKCAPIL.VERIFIKATOR-DUKCAPIL"]
    # New 17-year-olds and school enrolment push KTP-el / KK demand in July and January.
    school_months = {1: 1.15, 7: 1.3, 8: 1.2}
    services = [
        _service(
            "DUKCAPIL-KTP-EL",
            "LOKET-DUKCAPIL",
            "Perekaman dan pencetakan KTP-el",
            _slots(OFFICE, 18),
            _lognormal(12, 0.5),
            dukcapil,
            (30, 0.8),
            monthly=school_months,
            competency=("T.KEPENDUDUKAN", 2),
        ),
        _service(
            "DUKCAPIL-KK",
            "LOKET-DUKCAPIL",
            "Penerbitan Kartu Keluarga",
            _slots(OFFICE, 12),
            _lognormal(15, 0.6),
            both,
            (30, 0.8),
            monthly=school_months,
        ),
        _service(
            "DUKCAPIL-AKTA-LAHIR",
            "LOKET-DUKCAPIL",
            "Penerbitan akta kelahiran",
            _slots(OFFICE, 10),
            _gamma(20, 0.7),
            both,
            (45, 0.8),
        ),
        _service(
            "MPP-INFORMASI",
            "MPP",
            "Informasi, antrean dan pengaduan MPP",
            _slots(OFFICE, 25),
            _lognormal(4, 0.6),
            ["MPP.PETUGAS-MPP"],
            (10, 0.9),
        ),
        _service(
            "MPP-PERIZINAN",
            "MPP",
            "Perizinan berusaha dan NIB melalui OSS",
            _slots(OFFICE, 6),
            _gamma(25, 0.8),
            ["MPP.VERIFIKATOR-PERIZINAN", "MPP.ANALIS-PERIZINAN"],
            (30, 0.8),
            competency=("T.PERIZINAN", 2),
        ),
        _service(
            "MPP-PBG",
            "MPP",
            "Konsultasi Persetujuan Bangunan Gedung",
            _slots(OFFICE, 2),
            _gamma(40, 0.7),
            ["MPP.ANALIS-PERIZINAN", "DPUPR.TEKNIK-BANGUNAN"],
            (60, 0.8),
        ),
        _service(
            "MPP-DUKCAPIL",
            "MPP",
            "Gerai Disdukcapil di MPP",
            _slots(OFFICE, 10),
            _lognormal(12, 0.5),
            dukcapil,
            (30, 0.8),
            competency=("T.KEPENDUDUKAN", 2),
        ),
        _service(
            "MPP-KARTU-KUNING",
            "MPP",
            "Kartu tanda bukti pendaftaran pencari kerja (AK/1)",
            _slots(OFFICE, 4),
            _lognormal(10, 0.5),
            ["DPMPTSPNAKER.PENGANTAR-KERJA"],
            (30, 0.8),
            monthly={6: 1.4, 7: 1.5},
        ),
    ]
    rainy = {1: 1.1, 2: 1.1, 11: 1.1, 12: 1.15}
    for unit, scale in PUSKESMAS_SCALE.items():
        services += [
            _service(
                f"{unit}-PENDAFTARAN",
                unit,
                "Pendaftaran pasien",
                _slots(PUSKESMAS_HOURS, round(20 * scale, 1)),
                _lognormal(4, 0.5),
                [f"{unit}.PENGADMIN-PUSKESMAS"],
                (15, 0.8),
                monthly=rainy,
            ),
            _service(
                f"{unit}-POLI-UMUM",
                unit,
                "Poli umum",
                _slots(PUSKESMAS_HOURS, round(12 * scale, 1)),
                _gamma(12, 0.6),
                [f"{unit}.DOKTER", f"{unit}.KEPALA-PUSKESMAS"],
                (60, 0.8),
                monthly=rainy,
                competency=("T.MEDIS", 2),
            ),
            _service(
                f"{unit}-KIA",
                unit,
                "Kesehatan ibu dan anak (KIA) dan KB",
                _slots(PUSKESMAS_HOURS, round(5 * scale, 1)),
                _gamma(20, 0.5),
                [f"{unit}.BIDAN"],
                (45, 0.8),
                competency=("T.KEBIDANAN", 2),
            ),
        ]
    services.append(
        _service(
            "TIC-INFORMASI",
            "TIC",
            "Layanan informasi wisata (Info Box)",
            _slots(TOURIST_HOURS, 1.0),
            _gamma(8, 0.8),
            ["TIC.PETUGAS-TIC"],
            (10, 0.8),
            seasonal=SEASONS,
            competency=("T.PARIWISATA", 2),
        )
    )
    for service in services:
        missing = [p for p in service["servers"]["positions"] if p not in known]
        assert not missing, f"service {service['id']}: unknown server positions {missing}"
    return services
