"""ABK Form A: 2-6 tasks per non-teacher position, calibrated to the position's target EJ.

For a position with ``h`` holders and target efisiensi jabatan ``e`` the tasks
add up to ``e x max(h, 1) x 75,000`` minutes a year (WKE 1,250 h, PermenPAN-RB
1/2020). The minutes are split over the tasks with random weights and turned
into a yearly volume at the task's norma waktu, so the analysis gets back
EJ = workload / (holders x 75,000) close to ``e``. Norma waktu values are
plausible assumptions, not measured standards.

Teacher posts (guru, kepala sekolah) get no ABK rows: their need follows the
SKB 5 Menteri curriculum-hours rule instead.
"""

from __future__ import annotations

import random

from .positions import WKE_MINUTES, Post

Task = tuple[str, str, float]  # task text, output (satuan hasil), norma waktu in minutes

# fmt: off
TASKS: dict[str, tuple[Task, ...]] = {
    # structural posts, by kind
    "kepala": (
        ("Menetapkan rencana strategis dan rencana kerja perangkat daerah", "dokumen", 2400),
        ("Memimpin rapat koordinasi pimpinan", "kegiatan", 180),
        ("Menandatangani naskah dinas dan keputusan", "naskah", 15),
        ("Mengevaluasi capaian kinerja bidang", "laporan", 480),
        ("Melaksanakan koordinasi dengan instansi vertikal dan DPRD", "kegiatan", 240),
    ),
    "administrator": (
        ("Menyusun rencana kerja dan anggaran bidang", "dokumen", 1440),
        ("Mengoordinasikan pelaksanaan program bidang", "kegiatan", 180),
        ("Memeriksa dan memaraf konsep naskah dinas", "naskah", 20),
        ("Menyusun laporan kinerja bidang", "laporan", 600),
        ("Membina dan menilai kinerja bawahan", "pegawai", 120),
        ("Menghadiri rapat koordinasi", "kegiatan", 150),
    ),
    "pengawas": (
        ("Menyusun rencana kegiatan seksi", "dokumen", 720),
        ("Membagi tugas dan memberi petunjuk kepada pelaksana", "kegiatan", 60),
        ("Memeriksa hasil kerja pelaksana", "berkas", 30),
        ("Menyusun laporan bulanan seksi", "laporan", 360),
        ("Mengonsep naskah dinas", "naskah", 45),
    ),
    # generic office posts
    "pengadmin_umum": (
        ("Mengagendakan surat masuk dan keluar", "surat", 10),
        ("Mengetik konsep naskah dinas", "naskah", 30),
        ("Menata arsip surat", "berkas", 8),
        ("Menyiapkan rapat dan kegiatan kantor", "kegiatan", 120),
        ("Menginventarisasi kebutuhan alat tulis kantor", "laporan", 240),
    ),
    "pengelola_keuangan": (
        ("Menyusun dokumen permintaan pembayaran", "dokumen", 60),
        ("Memverifikasi bukti pengeluaran", "berkas", 20),
        ("Membukukan transaksi kas", "transaksi", 10),
        ("Menyusun laporan pertanggungjawaban bendahara", "laporan", 960),
    ),
    "pengelola_data": (
        ("Menghimpun data dari bidang", "dokumen", 45),
        ("Memutakhirkan basis data", "rekaman", 5),
        ("Menyusun tabel dan rekapitulasi data", "laporan", 240),
        ("Mengunggah data ke aplikasi Satu Data", "dokumen", 20),
    ),
    "pengadmin_kepegawaian": (
        ("Memproses usulan kenaikan gaji berkala", "berkas", 45),
        ("Memutakhirkan data pegawai di SIASN", "rekaman", 15),
        ("Merekap daftar hadir pegawai", "laporan", 120),
        ("Menyiapkan berkas cuti pegawai", "berkas", 30),
    ),
    "perencana": (
        ("Menyusun rencana kerja tahunan", "dokumen", 2400),
        ("Menyusun rencana kegiatan dan anggaran", "dokumen", 1800),
        ("Melakukan monitoring dan evaluasi program", "laporan", 720),
        ("Menyusun indikator kinerja", "dokumen", 480),
        ("Melakukan konsultasi perencanaan dengan bidang", "kegiatan", 120),
    ),
    "arsiparis": (
        ("Memberkaskan arsip aktif", "berkas", 15),
        ("Menata arsip inaktif", "boks", 120),
        ("Menyusun daftar arsip", "daftar", 240),
        ("Melayani peminjaman arsip", "permintaan", 20),
    ),
    "pranata_komputer": (
        ("Memelihara jaringan dan perangkat komputer", "perangkat", 90),
        ("Mengembangkan modul aplikasi", "modul", 2400),
        ("Menangani gangguan layanan TI", "tiket", 45),
        ("Membuat cadangan data", "kegiatan", 60),
    ),
    "analis_kebijakan": (
        ("Menyusun kajian kebijakan", "kajian", 4800),
        ("Menyusun telaahan staf", "telaahan", 480),
        ("Menyusun bahan rapat pimpinan", "dokumen", 240),
        ("Mengevaluasi pelaksanaan kebijakan", "laporan", 1440),
    ),
    # Setda, Setwan, Inspektorat, BKPSDM, BKAD, Bappeda
    "analis_hukum": (
        ("Menyusun rancangan peraturan daerah dan peraturan wali kota", "rancangan", 2400),
        ("Melakukan harmonisasi produk hukum", "rancangan", 480),
        ("Memberikan pertimbangan hukum", "telaahan", 360),
        ("Mendokumentasikan produk hukum di JDIH", "dokumen", 30),
    ),
    "pranata_humas": (
        ("Menulis rilis berita kegiatan pemerintah daerah", "rilis", 90),
        ("Mendokumentasikan kegiatan pimpinan", "kegiatan", 180),
        ("Mengelola konten media sosial", "unggahan", 40),
        ("Menyusun kliping dan analisis pemberitaan", "laporan", 300),
    ),
    "pengelola_protokol": (
        ("Menyiapkan tata acara kegiatan pimpinan", "kegiatan", 240),
        ("Mengatur tata tempat dan tata upacara", "kegiatan", 180),
        ("Menyusun jadwal kegiatan pimpinan", "jadwal", 60),
        ("Mendampingi tamu daerah", "kunjungan", 240),
    ),
    "pengelola_pbj": (
        ("Menyusun dokumen pemilihan penyedia", "paket", 1440),
        ("Melaksanakan evaluasi penawaran", "paket", 960),
        ("Melakukan reviu dokumen persiapan pengadaan", "paket", 480),
        ("Mengelola katalog elektronik lokal", "produk", 30),
    ),
    "pengadmin_persidangan": (
        ("Menyiapkan bahan rapat paripurna dan komisi", "rapat", 240),
        ("Menyusun risalah rapat", "risalah", 360),
        ("Mengagendakan jadwal kegiatan anggota DPRD", "jadwal", 45),
        ("Mengarsipkan keputusan DPRD", "dokumen", 20),
    ),
    "auditor": (
        ("Melaksanakan audit kinerja perangkat daerah", "penugasan", 4800),
        ("Melaksanakan reviu laporan keuangan", "penugasan", 2400),
        ("Menyusun kertas kerja pemeriksaan", "kertas kerja", 240),
        ("Memantau tindak lanjut hasil pemeriksaan", "rekomendasi", 60),
        ("Melaksanakan pemeriksaan khusus atas pengaduan", "penugasan", 3600),
    ),
    "ppupd": (
        ("Melaksanakan pengawasan penyelenggaraan urusan pemerintahan", "penugasan", 3600),
        ("Menangani pengaduan masyarakat", "pengaduan", 720),
        ("Menyusun laporan hasil pengawasan", "laporan", 480),
    ),
    "analis_sdm": (
        ("Menyusun analisis jabatan dan analisis beban kerja", "jabatan", 480),
        ("Memproses usulan kenaikan pangkat", "berkas", 90),
        ("Memproses usulan mutasi dan promosi", "berkas", 120),
        ("Menyusun rencana pengembangan kompetensi", "dokumen", 1440),
        ("Memverifikasi penilaian kinerja pegawai", "berkas", 30),
    ),
    "analis_keuangan": (
        ("Menyusun rancangan APBD dan perubahan APBD", "dokumen", 9600),
        ("Memverifikasi surat permintaan pembayaran", "berkas", 30),
        ("Menyusun laporan keuangan pemerintah daerah", "laporan", 4800),
        ("Menganalisis realisasi anggaran", "laporan", 480),
    ),
    "pengelola_aset": (
        ("Mencatat mutasi barang milik daerah", "transaksi", 20),
        ("Melaksanakan inventarisasi aset", "unit", 15),
        ("Menyusun laporan barang milik daerah", "laporan", 960),
        ("Memproses usulan penghapusan aset", "berkas", 240),
    ),
    "pengelola_pajak": (
        ("Mendata dan menetapkan wajib pajak daerah", "wajib pajak", 45),
        ("Menerbitkan surat ketetapan pajak", "surat", 20),
        ("Melayani pembayaran dan keberatan pajak", "layanan", 25),
        ("Melakukan penagihan tunggakan pajak", "kunjungan", 90),
    ),
    # Dinas Pendidikan and Dinas Kesehatan offices
    "pengawas_sekolah": (
        ("Melaksanakan supervisi akademik di sekolah binaan", "kunjungan", 300),
        ("Menilai kinerja kepala sekolah", "sekolah", 480),
        ("Membina guru dalam penyusunan perangkat pembelajaran", "kegiatan", 240),
        ("Menyusun laporan pengawasan", "laporan", 600),
    ),
    "pengelola_dapodik": (
        ("Memverifikasi data pokok pendidikan sekolah", "sekolah", 180),
        ("Memutakhirkan data guru dan siswa", "rekaman", 5),
        ("Menyusun rekap data pendidikan", "laporan", 480),
        ("Melayani konsultasi operator sekolah", "layanan", 30),
    ),
    "administrator_kesehatan": (
        ("Menyusun perencanaan program kesehatan", "dokumen", 1440),
        ("Melakukan bimbingan teknis ke puskesmas", "kunjungan", 360),
        ("Mengevaluasi capaian standar pelayanan minimal kesehatan", "laporan", 720),
        ("Mengelola data sistem informasi kesehatan", "laporan", 240),
    ),
    "epidemiolog": (
        ("Melakukan surveilans penyakit menular", "laporan", 240),
        ("Menyelidiki kejadian luar biasa", "kasus", 1440),
        ("Menganalisis data kasus penyakit", "laporan", 480),
    ),
    "apoteker": (
        ("Merencanakan kebutuhan obat kota", "dokumen", 2400),
        ("Mengelola penerimaan dan distribusi obat ke puskesmas", "transaksi", 60),
        ("Melakukan pengawasan sarana kefarmasian", "kunjungan", 240),
    ),
}
# fmt: on


def _fallback(post: Post) -> tuple[Task, ...]:
    """Tasks for a role without its own template, built from its name."""
    return (
        (f"Menyusun rencana kerja {post.name}", "dokumen", 960),
        (f"Melaksanakan tugas teknis {post.name}", "kegiatan", 120),
        (f"Menyusun laporan pelaksanaan tugas {post.name}", "laporan", 360),
    )


def tasks_of(post: Post) -> tuple[Task, ...]:
    if post.type in ("jpt", "administrator", "pengawas"):
        return TASKS["kepala" if post.type == "jpt" else post.type]
    return TASKS.get(post.role) or _fallback(post)


# fmt: off
TASKS.update({
    # Dinsos, DP3AP2KB
    "pekerja_sosial": (
        ("Melakukan asesmen penyandang masalah kesejahteraan sosial", "klien", 180),
        ("Melakukan pendampingan dan rujukan klien", "klien", 240),
        ("Memverifikasi dan memvalidasi DTKS", "rumah tangga", 30),
        ("Menyusun laporan rehabilitasi sosial", "laporan", 480),
    ),
    "pengelola_bansos": (
        ("Memverifikasi calon penerima bantuan sosial", "berkas", 30),
        ("Menyalurkan bantuan sosial", "penerima", 15),
        ("Menyusun laporan penyaluran bantuan", "laporan", 360),
    ),
    "penyuluh_kb": (
        ("Melaksanakan penyuluhan keluarga berencana", "kegiatan", 180),
        ("Mendata keluarga dan akseptor KB", "keluarga", 20),
        ("Membina kelompok Bina Keluarga Balita", "kelompok", 240),
        ("Mendampingi keluarga berisiko stunting", "keluarga", 60),
    ),
    "pengelola_pa": (
        ("Menerima pengaduan kekerasan terhadap perempuan dan anak", "kasus", 120),
        ("Mendampingi korban kekerasan", "kasus", 480),
        ("Menyusun laporan perlindungan perempuan dan anak", "laporan", 360),
    ),
    # Disdukcapil office and counter
    "adb": (
        ("Mengelola basis data kependudukan", "rekaman", 2),
        ("Melakukan konsolidasi dan pembersihan data ganda", "rekaman", 10),
        ("Memelihara server dan jaringan SIAK", "kegiatan", 120),
        ("Menyiapkan data agregat kependudukan", "laporan", 480),
    ),
    "pengadmin_kependudukan": (
        ("Mencatat biodata penduduk", "berkas", 15),
        ("Memproses surat keterangan pindah datang", "berkas", 20),
        ("Mengarsipkan dokumen kependudukan", "berkas", 5),
        ("Menyusun laporan pelayanan harian", "laporan", 60),
    ),
    "operator_dukcapil": (
        ("Merekam data KTP-el", "berkas", 15),
        ("Mencetak KTP-el", "keping", 5),
        ("Menerbitkan Kartu Keluarga", "berkas", 20),
        ("Menerbitkan akta kelahiran", "akta", 25),
        ("Menerbitkan Kartu Identitas Anak", "kartu", 10),
        ("Melayani perekaman jemput bola", "kegiatan", 240),
    ),
    "verifikator_dukcapil": (
        ("Memverifikasi kelengkapan berkas permohonan", "berkas", 10),
        ("Memvalidasi data permohonan akta pencatatan sipil", "berkas", 15),
        ("Menangani pengaduan layanan", "pengaduan", 30),
    ),
    # DPMPTSP dan Tenaga Kerja, MPP
    "analis_perizinan": (
        ("Menganalisis permohonan perizinan berusaha", "berkas", 90),
        ("Melakukan peninjauan lapangan perizinan", "kunjungan", 240),
        ("Menyusun rekomendasi teknis izin", "rekomendasi", 120),
        ("Memproses persetujuan bangunan gedung", "berkas", 180),
    ),
    "verifikator_perizinan": (
        ("Memverifikasi kelengkapan berkas perizinan", "berkas", 20),
        ("Memproses Nomor Induk Berusaha di OSS", "berkas", 30),
        ("Menerbitkan dokumen izin", "izin", 15),
    ),
    "petugas_mpp": (
        ("Memberikan informasi layanan kepada pengunjung MPP", "pengunjung", 6),
        ("Mengelola antrean dan mengarahkan pengunjung ke gerai", "pengunjung", 2),
        ("Menerima dan meneruskan pengaduan", "pengaduan", 30),
        ("Menyusun laporan survei kepuasan masyarakat", "laporan", 480),
    ),
    "mediator_hi": (
        ("Melaksanakan mediasi perselisihan hubungan industrial", "kasus", 960),
        ("Mencatat perjanjian kerja bersama", "dokumen", 120),
        ("Melakukan pembinaan hubungan industrial di perusahaan", "kunjungan", 240),
    ),
    "pengantar_kerja": (
        ("Melayani pendaftaran pencari kerja dan kartu kuning", "pencari kerja", 20),
        ("Melaksanakan bursa kerja", "kegiatan", 1440),
        ("Melakukan penyuluhan dan bimbingan jabatan", "kegiatan", 180),
    ),
    # Disparpora and the Tourist Information Center
    "adyatama": (
        ("Menyusun rencana pengembangan destinasi wisata warisan dunia Ombilin", "dokumen", 4800),
        ("Menyelenggarakan promosi dan event pariwisata", "kegiatan", 2400),
        ("Membina kelompok sadar wisata", "kegiatan", 360),
        ("Menghimpun data kunjungan wisatawan", "laporan", 240),
        ("Mengurasi paket wisata dan ekonomi kreatif", "paket", 960),
    ),
    "pengelola_wisata": (
        ("Mengelola operasional objek wisata", "hari operasional", 120),
        ("Melayani penjualan tiket dan informasi objek wisata", "pengunjung", 2),
        ("Memelihara kebersihan dan keamanan objek wisata", "kegiatan", 90),
        ("Menyusun laporan kunjungan dan pendapatan", "laporan", 240),
    ),
    "pengelola_museum": (
        ("Memandu pengunjung museum", "rombongan", 45),
        ("Merawat dan mendokumentasikan koleksi", "koleksi", 120),
        ("Menyelenggarakan pameran", "kegiatan", 2400),
        ("Mengelola data pengunjung museum", "laporan", 180),
    ),
    "pengelola_olahraga": (
        ("Menyelenggarakan kejuaraan olahraga daerah", "kegiatan", 2400),
        ("Membina organisasi kepemudaan", "organisasi", 480),
        ("Mengelola fasilitas olahraga", "hari operasional", 60),
    ),
    "petugas_tic": (
        ("Memberikan informasi wisata kepada pengunjung", "pengunjung", 8),
        ("Menjawab pertanyaan wisatawan melalui telepon dan media sosial", "pertanyaan", 5),
        ("Memutakhirkan bahan informasi dan peta wisata", "dokumen", 240),
        ("Menyusun laporan harian kunjungan", "laporan", 30),
    ),
    # technical OPDs
    "teknik_jalan": (
        ("Menyusun perencanaan teknis jalan dan jembatan", "paket", 2400),
        ("Mengawasi pelaksanaan konstruksi jalan", "kunjungan", 240),
        ("Melakukan survei kondisi jalan", "ruas", 180),
        ("Menyusun rencana anggaran biaya", "paket", 720),
    ),
    "teknik_pengairan": (
        ("Menyusun perencanaan teknis saluran irigasi dan drainase", "paket", 2400),
        ("Melakukan inspeksi jaringan irigasi", "kunjungan", 240),
        ("Mengawasi pekerjaan sumber daya air", "kunjungan", 240),
    ),
    "penata_ruang": (
        ("Menyusun rencana detail tata ruang", "dokumen", 9600),
        ("Memberikan rekomendasi kesesuaian tata ruang", "rekomendasi", 180),
        ("Memantau pemanfaatan ruang", "kunjungan", 240),
    ),
    "teknik_bangunan": (
        ("Menyusun perencanaan teknis bangunan gedung", "paket", 2400),
        ("Memeriksa dokumen teknis persetujuan bangunan gedung", "berkas", 240),
        ("Mengawasi pembangunan gedung", "kunjungan", 240),
    ),
    "pengelola_pertanahan": (
        ("Menginventarisasi tanah milik daerah", "bidang", 120),
        ("Memproses pengadaan tanah untuk kepentingan umum", "bidang", 480),
        ("Menangani sengketa pertanahan", "kasus", 960),
    ),
    "penguji_kendaraan": (
        ("Menguji kendaraan bermotor wajib uji", "kendaraan", 45),
        ("Menerbitkan bukti lulus uji elektronik", "kartu", 10),
        ("Merawat peralatan pengujian", "kegiatan", 240),
    ),
    "petugas_lalin": (
        ("Mengatur lalu lintas di persimpangan", "jam jaga", 60),
        ("Menertibkan parkir", "kegiatan", 120),
        ("Memasang dan memelihara rambu lalu lintas", "rambu", 90),
    ),
    "pengendali_dampak": (
        ("Menilai dokumen lingkungan hidup", "dokumen", 960),
        ("Mengawasi ketaatan usaha terhadap izin lingkungan", "kunjungan", 480),
        ("Memantau kualitas air dan udara", "sampel", 120),
    ),
    "pengelola_sampah": (
        ("Mengawasi pengangkutan sampah", "rit", 40),
        ("Mengelola operasional TPA", "hari operasional", 240),
        ("Membina bank sampah", "kelompok", 240),
    ),
    "polpp": (
        ("Melaksanakan patroli ketertiban umum", "patroli", 240),
        ("Menegakkan peraturan daerah", "kasus", 360),
        ("Mengamankan kegiatan pemerintah daerah", "kegiatan", 480),
        ("Menertibkan pedagang kaki lima", "kegiatan", 240),
    ),
    "damkar": (
        ("Memadamkan kebakaran", "kejadian", 240),
        ("Melaksanakan penyelamatan non-kebakaran", "kejadian", 180),
        ("Melaksanakan piket siaga", "jam jaga", 60),
        ("Merawat armada dan peralatan pemadam", "kegiatan", 120),
    ),
    "pustakawan": (
        ("Mengolah bahan pustaka", "eksemplar", 15),
        ("Melayani sirkulasi pemustaka", "transaksi", 5),
        ("Melaksanakan perpustakaan keliling", "kegiatan", 360),
        ("Membina perpustakaan sekolah dan nagari", "kunjungan", 240),
    ),
    "statistisi": (
        ("Mengolah data statistik sektoral", "tabel", 120),
        ("Menyusun publikasi daerah dalam angka", "publikasi", 4800),
        ("Memvalidasi metadata statistik", "dokumen", 60),
    ),
    "sandiman": (
        ("Mengamankan informasi berklasifikasi", "dokumen", 30),
        ("Mengelola sertifikat elektronik", "sertifikat", 20),
        ("Melakukan penilaian keamanan sistem elektronik", "sistem", 960),
    ),
    "pengawas_koperasi": (
        ("Melakukan pemeriksaan kesehatan koperasi", "koperasi", 480),
        ("Membina pengelola koperasi", "kegiatan", 240),
        ("Menyusun laporan pengawasan koperasi", "laporan", 360),
    ),
    "penera": (
        ("Menera dan menera ulang alat ukur", "alat", 15),
        ("Mengawasi alat ukur di pasar", "kunjungan", 240),
        ("Menyusun laporan kemetrologian", "laporan", 360),
    ),
    "pengawas_perdagangan": (
        ("Mengawasi barang beredar dan jasa", "kunjungan", 240),
        ("Memantau harga bahan pokok", "laporan", 60),
        ("Menangani pengaduan konsumen", "pengaduan", 120),
    ),
    "penyuluh_pertanian": (
        ("Melaksanakan penyuluhan kepada kelompok tani", "kegiatan", 180),
        ("Menyusun rencana definitif kebutuhan kelompok", "kelompok", 240),
        ("Mendampingi demonstrasi plot", "kegiatan", 480),
        ("Mengumpulkan data luas tanam dan panen", "laporan", 120),
    ),
    "medik_veteriner": (
        ("Memeriksa dan mengobati hewan", "ekor", 30),
        ("Melaksanakan vaksinasi rabies", "ekor", 10),
        ("Memeriksa kesehatan daging di rumah potong", "ekor", 20),
    ),
    "paramedik_veteriner": (
        ("Melaksanakan inseminasi buatan", "ekor", 45),
        ("Membantu vaksinasi hewan", "ekor", 10),
        ("Mencatat kasus penyakit hewan", "laporan", 60),
    ),
    "pengelola_pemerintahan": (
        ("Memfasilitasi penyelenggaraan pemerintahan desa dan kelurahan", "kegiatan", 240),
        ("Mengevaluasi rancangan peraturan desa", "rancangan", 360),
        ("Menyusun laporan penyelenggaraan pemerintahan kecamatan", "laporan", 720),
        ("Memfasilitasi musyawarah perencanaan pembangunan", "kegiatan", 480),
    ),
    "pengadmin_pelayanan_kec": (
        ("Melayani surat keterangan dan rekomendasi", "surat", 15),
        ("Meneruskan berkas layanan administrasi kependudukan", "berkas", 10),
        ("Mencatat register pelayanan", "rekaman", 3),
    ),
    # puskesmas
    "kepala_puskesmas": (
        ("Menyusun rencana usulan kegiatan puskesmas", "dokumen", 2400),
        ("Memimpin lokakarya mini puskesmas", "kegiatan", 240),
        ("Memeriksa pasien pada poli umum", "pasien", 12),
        ("Mengevaluasi capaian program puskesmas", "laporan", 480),
    ),
    "dokter": (
        ("Memeriksa dan mengobati pasien rawat jalan", "pasien", 12),
        ("Menangani pasien gawat darurat", "pasien", 45),
        ("Melakukan visite pasien rawat inap", "pasien", 15),
        ("Membuat surat keterangan sehat dan rujukan", "surat", 10),
        ("Melaksanakan pelayanan kesehatan di posyandu lansia", "kegiatan", 180),
    ),
    "dokter_gigi": (
        ("Memeriksa dan merawat gigi pasien", "pasien", 25),
        ("Melaksanakan usaha kesehatan gigi sekolah", "kegiatan", 180),
        ("Menyusun laporan pelayanan kesehatan gigi", "laporan", 240),
    ),
    "perawat": (
        ("Melakukan pengkajian dan asuhan keperawatan", "pasien", 20),
        ("Melakukan tindakan keperawatan di unit gawat darurat", "pasien", 30),
        ("Melaksanakan perawatan kesehatan masyarakat di rumah", "kunjungan", 90),
        ("Mendokumentasikan asuhan keperawatan", "pasien", 8),
        ("Melaksanakan pelayanan di puskesmas keliling", "kegiatan", 300),
    ),
    "bidan": (
        ("Melakukan pemeriksaan kehamilan", "pasien", 20),
        ("Menolong persalinan", "persalinan", 240),
        ("Melaksanakan pelayanan KB", "akseptor", 20),
        ("Melakukan kunjungan nifas dan neonatus", "kunjungan", 60),
        ("Melaksanakan imunisasi di posyandu", "kegiatan", 180),
    ),
    "penyuluh_kesmas": (
        ("Melaksanakan penyuluhan kesehatan", "kegiatan", 180),
        ("Membina posyandu dan desa siaga", "kegiatan", 240),
        ("Melaksanakan pendataan PHBS rumah tangga", "rumah tangga", 15),
    ),
    "sanitarian": (
        ("Melakukan inspeksi kesehatan lingkungan", "sarana", 90),
        ("Melaksanakan konseling sanitasi", "pasien", 20),
        ("Memeriksa kualitas air minum", "sampel", 45),
    ),
    "pranata_lab": (
        ("Melakukan pemeriksaan laboratorium darah", "sampel", 20),
        ("Melakukan pemeriksaan laboratorium urine dan sputum", "sampel", 25),
        ("Memelihara alat laboratorium", "kegiatan", 60),
    ),
    "nutrisionis": (
        ("Melakukan konseling gizi", "pasien", 30),
        ("Melaksanakan pemantauan status gizi balita", "balita", 10),
        ("Mengelola pemberian makanan tambahan", "kegiatan", 180),
    ),
    "asisten_apoteker": (
        ("Menyiapkan dan menyerahkan obat sesuai resep", "resep", 6),
        ("Mengelola stok obat dan bahan medis habis pakai", "transaksi", 15),
        ("Menyusun laporan pemakaian dan lembar permintaan obat", "laporan", 480),
    ),
    "pengadmin_puskesmas": (
        ("Mendaftarkan pasien dan mencari rekam medis", "pasien", 5),
        ("Mengelola klaim BPJS Kesehatan", "berkas", 15),
        ("Mengelola surat menyurat dan kepegawaian puskesmas", "surat", 15),
        ("Menyusun laporan bulanan puskesmas", "laporan", 480),
    ),
    "pekarya": (
        ("Membersihkan ruang pelayanan", "hari kerja", 120),
        ("Mensterilkan alat kesehatan", "set", 20),
        ("Mengantar rujukan dan spesimen", "kegiatan", 60),
    ),
})
# fmt: on


def workload_rows(posts: list[Post], rng: random.Random) -> list[dict]:
    """Form A rows for every non-teacher post, in post order."""
    rows = []
    for post in posts:
        if post.teacher or post.ej is None:
            continue
        template = tasks_of(post)
        count = rng.randint(2, min(6, len(template)))
        chosen = [template[i] for i in sorted(rng.sample(range(len(template)), count))]
        weights = [rng.uniform(0.5, 1.5) for _ in chosen]
        total = post.ej * max(post.holders, 1) * WKE_MINUTES
        for (task, output, norma), weight in zip(chosen, weights, strict=True):
            volume = max(1, round(total * weight / sum(weights) / norma))
            rows.append({"position": post.id, "task": task, "output": output, "volume": volume, "norma_waktu": norma})
    return rows


if __name__ == "__main__":
    from collections import defaultdict

    from .city import build_city
    from .positions import build_positions

    rng = random.Random(1373)
    posts = build_positions(build_city(rng), rng)
    rows = workload_rows(posts, rng)
    minutes: dict[str, float] = defaultdict(float)
    for r in rows:
        minutes[r["position"]] += r["volume"] * r["norma_waktu"]
    worst = max(abs(minutes[p.id] / (max(p.holders, 1) * WKE_MINUTES) - p.ej) for p in posts if p.ej is not None)
    fallback = sorted(
        {
            p.role
            for p in posts
            if p.ej is not None and p.type not in ("jpt", "administrator", "pengawas") and p.role not in TASKS
        }
    )
    print(len(rows), "ABK rows; worst EJ deviation", round(worst, 4), "; roles on fallback:", fallback)
