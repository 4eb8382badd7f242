"""Generator of the bundled SYNTHETIC example dataset ``datasets/sawahlunto/``.

The dataset imitates the ASN of the Pemerintah Kota Sawahlunto (4 kecamatan,
63 SD, 14 SMP, 6 puskesmas, the Mal Pelayanan Publik...) but every person in it
is invented. The public facts it uses come from the project's domain reference
(``asn-mutasi.md``) and are listed with their sources in the generated
``datasets/sawahlunto/README.md``; everything else is an assumption stated there.

Modules, in the order the entry script ``scripts/generate_sawahlunto.py`` uses them:

- :mod:`.city`      units: OPD, schools, puskesmas, service counters; curriculum
- :mod:`.roles`     the catalogue of jobs (name, type, competency, education)
- :mod:`.positions` positions (jabatan) with formasi and the planned headcount
- :mod:`.people`    employees with valid NIPs, and their histories
- :mod:`.abk`       ABK Form A tasks calibrated to a target efisiensi jabatan
- :mod:`.services`  public services (arrivals, service times, servers, targets)
- :mod:`.write`     deterministic CSV/YAML writers

Determinism: one ``random.Random(seed)`` is created by the entry script and
passed explicitly to every builder; nothing reads the clock or a global RNG,
and every output is written in a fixed order, so two runs give identical bytes.
"""

from __future__ import annotations

from datetime import date

#: Seed used when ``--seed`` is not given (1373 is the BPS code of Kota Sawahlunto).
DEFAULT_SEED = 1373

#: Snapshot date of the dataset (``as_of`` in dataset.yaml).
AS_OF = date(2026, 11, 1)

#: The four kecamatan, in the order used everywhere.
KECAMATAN = ("Barangin", "Lembah Segar", "Silungkang", "Talawi")
