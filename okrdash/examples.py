"""The source documents' OKR and KPI examples as data, in English and Bahasa Indonesia.

- OKRs per team (product, engineering, marketing, sales, customer success, and two company
  objectives), from the SaaS team examples;
- KPIs and OKRs per role (digital marketing specialist, customer service representative, sales
  executive, content writer, HR officer), from the role examples;
- KPIs per category (marketing, sales, service, website) and per type (strategic, operational,
  functional), each also marked leading or lagging.

Numbers are the documents' own where they give one. A relative change ("cut complaints by 15%")
is written as an index that starts at 100 (target 85). A KPI the documents name without a number
gets an illustrative target (``target_from_source`` is False) so it can be loaded as a draft.

:func:`example_okr_csv` and :func:`example_kpi_csv` write an example as a CSV file the normal
importer reads, so a page can load it into the workspace like any upload. Labels for teams,
roles, categories, types and indicators are in ``locales/<lang>/examples.toml``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from okrdash.i18n import translate

__all__ = [
    "CATEGORIES",
    "INDICATORS",
    "KPI_COLUMNS",
    "KPI_TYPES",
    "OKR_COLUMNS",
    "ROLES",
    "TEAMS",
    "KeyResultExample",
    "KpiExample",
    "OkrExample",
    "example_kpi_csv",
    "example_okr_csv",
    "kpi_examples",
    "label",
    "okr_examples",
]

TEAMS = ("company", "product", "engineering", "marketing", "sales", "customer_success")
ROLES = ("digital_marketing_specialist", "customer_service_representative", "sales_executive",
         "content_writer", "hr_officer")
CATEGORIES = ("marketing", "sales", "service", "website", "finance", "engineering", "hr")
KPI_TYPES = ("strategic", "operational", "functional")
INDICATORS = ("leading", "lagging")

OKR_COLUMNS = ("cycle", "start_date", "end_date", "team", "objective", "objective_type", "key_result",
               "kind", "baseline", "target", "unit")
KPI_COLUMNS = ("team", "kpi", "target", "unit", "direction", "min", "max", "tolerance", "frequency",
               "kpi_type", "indicator", "category")


def _pick(lang: str, english: str, indonesian: str) -> str:
    return indonesian if lang == "id" and indonesian else english


@dataclass(frozen=True)
class KeyResultExample:
    """A key result; ``kind`` None lets the importer infer increase or decrease."""

    title_en: str
    title_id: str
    baseline: float | None = None
    target: float | None = None
    unit_en: str = ""
    unit_id: str = ""
    kind: str | None = None

    def title(self, lang: str = "en") -> str:
        return _pick(lang, self.title_en, self.title_id)

    def unit(self, lang: str = "en") -> str:
        return _pick(lang, self.unit_en, self.unit_id)


@dataclass(frozen=True)
class OkrExample:
    """An objective with its key results; ``team`` for team examples, ``role`` for role examples."""

    key: str
    title_en: str
    title_id: str
    key_results: tuple[KeyResultExample, ...]
    team: str | None = None
    role: str | None = None

    def title(self, lang: str = "en") -> str:
        return _pick(lang, self.title_en, self.title_id)


@dataclass(frozen=True)
class KpiExample:
    """A KPI with the target a draft starts from (``target_from_source``: the documents' number)."""

    key: str
    title_en: str
    title_id: str
    category: str | None
    kpi_type: str
    indicator: str
    direction: str
    target: float | None
    unit_en: str = ""
    unit_id: str = ""
    frequency: str = "monthly"
    role: str | None = None
    target_from_source: bool = False
    min_value: float | None = None
    max_value: float | None = None

    def title(self, lang: str = "en") -> str:
        return _pick(lang, self.title_en, self.title_id)

    def unit(self, lang: str = "en") -> str:
        return _pick(lang, self.unit_en, self.unit_id)


def _kr(title_en: str, title_id: str, baseline: float | None = None, target: float | None = None,
        unit_en: str = "", unit_id: str = "", kind: str | None = None) -> KeyResultExample:
    return KeyResultExample(title_en, title_id, baseline, target, unit_en, unit_id or unit_en, kind)


def _pct(title_en: str, title_id: str, baseline: float | None, target: float | None,
         kind: str | None = None) -> KeyResultExample:
    return _kr(title_en, title_id, baseline, target, "%", "%", kind)


def _index(title_en: str, title_id: str, change_percent: float) -> KeyResultExample:
    """A relative change ("by 15%") as an index: 100 today, 100 + change at the end."""
    return _kr(title_en, title_id, 100, 100 + change_percent, "index (start = 100)", "indeks (awal = 100)")


def _count(title_en: str, title_id: str, target: float, unit_en: str, unit_id: str) -> KeyResultExample:
    """Something counted from zero during the cycle."""
    return _kr(title_en, title_id, 0, target, unit_en, unit_id)


def _milestone(title_en: str, title_id: str) -> KeyResultExample:
    return _kr(title_en, title_id, kind="milestone")


_OKRS: tuple[OkrExample, ...] = (
    # ---------------- Company (objectives the teams' key results serve) ----------------
    OkrExample("company.expansion_revenue", "Grow expansion revenue", "Tingkatkan pendapatan ekspansi", (
        _milestone("Launch usage-based pricing in beta", "Luncurkan harga berbasis pemakaian dalam versi beta"),
        _count("Drive 500 sign-ups to the pricing pilot", "Dorong 500 pendaftaran ke uji coba harga", 500,
               "sign-ups", "pendaftaran"),
        _count("Upgrade 50 beta users to a paid tier", "Naikkan 50 pengguna beta ke paket berbayar", 50,
               "users", "pengguna"),
    ), team="company"),
    OkrExample("company.retention", "Keep more of our users coming back",
               "Buat lebih banyak pengguna terus kembali", (
        _pct("Reduce churn from 5% to 3% this quarter", "Turunkan churn dari 5% menjadi 3% pada kuartal ini", 5, 3),
        _index("Grow weekly active users by 20%", "Tingkatkan pengguna aktif mingguan sebesar 20%", 20),
        _count("Launch three features customers asked for", "Luncurkan tiga fitur yang diminta pelanggan", 3,
               "features", "fitur"),
    ), team="company"),
    # ---------------- Product ----------------
    OkrExample("product.user_experience", "Improve the experience for our users",
               "Perbaiki pengalaman bagi pengguna kita", (
        _kr("Reach an average user survey score of 9 or more", "Capai skor rata-rata survei pengguna 9 atau lebih",
            None, 9, "points", "poin", kind="increase"),
        _index("Cut average support response time by 10%", "Kurangi rata-rata waktu respons dukungan sebesar 10%",
               -10),
        _index("Raise customer retention by 20% through product updates",
               "Tingkatkan retensi pelanggan sebesar 20% lewat pembaruan produk", 20),
    ), team="product"),
    OkrExample("product.new_product_launch", "Launch our new product successfully",
               "Luncurkan produk baru kita dengan sukses", (
        _count("Talk to 30 customers about their needs and feedback",
               "Bicara dengan 30 pelanggan tentang kebutuhan dan masukan mereka", 30, "customers", "pelanggan"),
        _count("Watch ten user session videos and share the takeaways",
               "Tonton sepuluh video sesi pengguna dan bagikan poin pentingnya", 10, "videos", "video"),
        _count("Run two training sessions for marketing and sales",
               "Adakan dua sesi pelatihan untuk tim pemasaran dan penjualan", 2, "sessions", "sesi"),
        _count("Review 15 customer requirement documents from product marketing",
               "Periksa 15 dokumen kebutuhan pelanggan dari pemasaran produk", 15, "documents", "dokumen"),
    ), team="product"),
    OkrExample("product.first_month_retention", "Keep more new users through their first month",
               "Pertahankan lebih banyak pengguna baru di bulan pertama", (
        _pct("Raise 30-day retention from 45% to 60%", "Tingkatkan retensi 30 hari dari 45% menjadi 60%", 45, 60),
        _kr("Cut time to value from 7 to 3 days", "Pangkas waktu hingga merasakan manfaat dari 7 menjadi 3 hari",
            7, 3, "days", "hari"),
        _pct("Raise onboarding completion to 80%", "Tingkatkan penyelesaian onboarding menjadi 80%", None, 80,
             kind="increase"),
    ), team="product"),
    # ---------------- Engineering ----------------
    OkrExample("engineering.release_quality", "Raise the quality of our product releases",
               "Tingkatkan kualitas rilis produk kita", (
        _kr("Reduce new bug reports from 72 to 60 a month", "Kurangi laporan bug baru dari 72 menjadi 60 per bulan",
            72, 60, "bugs a month", "bug per bulan"),
        _pct("Raise crash-free releases from 96% to 99%", "Tingkatkan rilis tanpa crash dari 96% menjadi 99%", 96, 99),
        _pct("Raise test coverage from 35% to 50%", "Tingkatkan cakupan pengujian dari 35% menjadi 50%", 35, 50),
    ), team="engineering"),
    OkrExample("engineering.ship_faster", "Help the development team move faster",
               "Percepat langkah tim pengembangan", (
        _kr("Raise sprint velocity from 42 to 60 points", "Tingkatkan kecepatan sprint dari 42 menjadi 60 poin",
            42, 60, "points", "poin"),
        _index("Cut average code review time by 30%", "Kurangi rata-rata waktu tinjauan kode sebesar 30%", -30),
        _pct("Keep features blocked by unfinished designs at 2% or less",
             "Jaga fitur yang terhambat desain belum selesai paling banyak 2%", None, 2, kind="at_most"),
    ), team="engineering"),
    # ---------------- Marketing ----------------
    OkrExample("marketing.lead_quality", "Align marketing and sales on lead quality",
               "Selaraskan pemasaran dan penjualan soal kualitas prospek", (
        _pct("Cut unqualified leads passed to sales from 40% to 25%",
             "Kurangi prospek tak layak yang diteruskan ke penjualan dari 40% menjadi 25%", 40, 25),
        _pct("Raise MQL to SQL conversion from 12% to 20%", "Tingkatkan konversi MQL ke SQL dari 12% menjadi 20%",
             12, 20),
        _milestone("Launch a targeted content campaign for late-funnel decisions",
                   "Luncurkan kampanye konten tertarget untuk keputusan di akhir funnel"),
    ), team="marketing"),
    OkrExample("marketing.brand_visibility", "Strengthen brand visibility and organic growth",
               "Perkuat visibilitas merek dan pertumbuhan organik", (
        _index("Grow organic website traffic by 30% quarter over quarter",
               "Tingkatkan lalu lintas organik situs web 30% dari kuartal ke kuartal", 30),
        _count("Publish three high-intent customer case studies",
               "Terbitkan tiga studi kasus pelanggan untuk calon pembeli yang serius", 3, "case studies",
               "studi kasus"),
        _pct("Raise email campaign open rate from 25% to 35%",
             "Tingkatkan tingkat buka kampanye email dari 25% menjadi 35%", 25, 35),
    ), team="marketing"),
    OkrExample("marketing.social_media", "Make our brand stand out on social media",
               "Buat merek kita menonjol di media sosial", (
        _index("Grow Instagram followers by 25% in three months",
               "Tambah pengikut Instagram sebesar 25% dalam tiga bulan", 25),
        _pct("Raise the engagement rate to 5%", "Tingkatkan engagement rate menjadi 5%", None, 5, kind="increase"),
        _kr("Publish at least 4 viral posts every month", "Publikasikan minimal 4 konten viral setiap bulan",
            None, 4, "posts a month", "konten per bulan", kind="at_least"),
    ), team="marketing"),
    # ---------------- Sales ----------------
    OkrExample("sales.efficiency", "Sell more efficiently and close more high-quality deals",
               "Jual lebih efisien dan tutup lebih banyak kesepakatan berkualitas", (
        _pct("Raise the win rate from 18% to 25%", "Tingkatkan tingkat kemenangan dari 18% menjadi 25%", 18, 25),
        _kr("Cut the average deal cycle from 42 to 30 days",
            "Pangkas rata-rata siklus transaksi dari 42 menjadi 30 hari", 42, 30, "days", "hari"),
        _pct("Run win/loss analysis on 100% of closed opportunities",
             "Lakukan analisis menang/kalah pada 100% peluang yang sudah ditutup", None, 100, kind="at_least"),
    ), team="sales"),
    OkrExample("sales.outbound_engine", "Build a repeatable, scalable outbound sales engine",
               "Bangun mesin penjualan outbound yang bisa diulang dan diperbesar", (
        _milestone("Launch an outbound sequence for the three main buyer personas",
                   "Luncurkan rangkaian outbound untuk tiga persona pembeli utama"),
        _count("Generate 50 new qualified leads from outbound", "Hasilkan 50 prospek baru yang layak dari outbound",
               50, "leads", "prospek"),
        _pct("Reach a 10% response rate across outbound campaigns",
             "Capai tingkat respons 10% di semua kampanye outbound", None, 10, kind="increase"),
    ), team="sales"),
    # ---------------- Customer success ----------------
    OkrExample("customer_success.satisfaction", "Raise customer satisfaction and loyalty",
               "Tingkatkan kepuasan dan loyalitas pelanggan", (
        _pct("Raise CSAT to 90% or more", "Naikkan CSAT hingga 90% atau lebih", None, 90, kind="increase"),
        _index("Cut customer complaints by 15% from last quarter",
               "Kurangi keluhan pelanggan 15% dibanding kuartal lalu", -15),
        _kr("Raise NPS to 65 or higher", "Naikkan NPS hingga 65 atau lebih", None, 65, "points", "poin",
            kind="increase"),
        _index("Cut average response time to customer questions by 25%",
               "Kurangi rata-rata waktu respons atas pertanyaan pelanggan sebesar 25%", -25),
    ), team="customer_success"),
    OkrExample("customer_success.retention", "Keep more customers and reduce churn",
               "Pertahankan lebih banyak pelanggan dan kurangi churn", (
        _index("Raise retention of high-value customers by 10%",
               "Tingkatkan retensi pelanggan bernilai tinggi sebesar 10%", 10),
        _index("Reduce churn by 15%", "Kurangi churn sebesar 15%", -15),
        _count("Hold quarterly business reviews with at least 80% of key customers",
               "Adakan tinjauan bisnis triwulanan dengan minimal 80% pelanggan utama", 80, "%", "%"),
        _pct("Bring 30% of new business through referrals from happy customers",
             "Datangkan 30% bisnis baru lewat rujukan pelanggan yang puas", None, 30, kind="increase"),
    ), team="customer_success"),
    # ---------------- Roles ----------------
    OkrExample("role.digital_marketing_specialist", "Raise the visibility and impact of our digital marketing",
               "Tingkatkan visibilitas dan dampak pemasaran digital kita", (
        _index("Grow Instagram followers organically by 25%", "Tambah pengikut Instagram secara organik sebesar 25%",
               25),
        _count("Get 10,000 organic clicks from the blog", "Raih 10.000 klik organik dari blog", 10_000, "clicks",
               "klik"),
        _pct("Reach a 6% engagement rate across social media", "Capai engagement rate 6% di semua media sosial",
             None, 6, kind="increase"),
    ), role="digital_marketing_specialist"),
    OkrExample("role.customer_service_representative", "Raise the quality of our customer service",
               "Tingkatkan kualitas layanan pelanggan kita", (
        _kr("Bring average response time down to 2 hours", "Turunkan rata-rata waktu respons menjadi 2 jam",
            None, 2, "hours", "jam", kind="decrease"),
        _count("Raise Net Promoter Score by 10 points", "Naikkan Net Promoter Score sebesar 10 poin", 10,
               "NPS points gained", "kenaikan poin NPS"),
        _milestone("Run empathy training for the whole CS team", "Adakan pelatihan empati untuk seluruh tim CS"),
    ), role="customer_service_representative"),
    OkrExample("role.sales_executive", "Grow our sales performance", "Tingkatkan performa penjualan kita", (
        _pct("Convert 30% of prospects into customers", "Ubah 30% prospek menjadi pelanggan", None, 30,
             kind="increase"),
        _count("Win 3 new clients from priority sectors", "Dapatkan 3 klien baru dari sektor prioritas", 3,
               "clients", "klien"),
        _kr("Shorten the sales cycle to 15 days", "Persingkat siklus penjualan menjadi 15 hari", None, 15,
            "days", "hari", kind="decrease"),
    ), role="sales_executive"),
    OkrExample("role.content_writer", "Raise the quality and reach of our blog content",
               "Tingkatkan kualitas dan jangkauan konten blog kita", (
        _kr("Reach 20,000 organic views a month from our content",
            "Raih 20.000 tayangan organik per bulan dari konten kita", None, 20_000, "views a month",
            "tayangan per bulan", kind="increase"),
        _count("Get 3 articles onto the first page of Google", "Tempatkan 3 artikel di halaman pertama Google", 3,
               "articles", "artikel"),
        _count("Collaborate with 2 influencers on external content",
               "Berkolaborasi dengan 2 influencer untuk konten eksternal", 2, "influencers", "influencer"),
    ), role="content_writer"),
    OkrExample("role.hr_officer", "Improve how we hire and keep our people",
               "Perbaiki cara kita merekrut dan mempertahankan karyawan", (
        _milestone("Launch a digital onboarding system", "Luncurkan sistem onboarding digital"),
        _pct("Keep turnover of new hires on probation below 5%",
             "Jaga turnover karyawan baru masa percobaan di bawah 5%", None, 5, kind="at_most"),
        _count("Run an employee satisfaction survey every month", "Adakan survei kepuasan karyawan setiap bulan",
               3, "surveys", "survei"),
    ), role="hr_officer"),
)


def _kpi(key: str, title_en: str, title_id: str, category: str | None, kpi_type: str, indicator: str,
         direction: str, target: float | None, unit_en: str = "", unit_id: str = "", *,
         frequency: str = "monthly", role: str | None = None, source: bool = False) -> KpiExample:
    return KpiExample(key, title_en, title_id, category, kpi_type, indicator, direction, target, unit_en,
                      unit_id or unit_en, frequency, role, source)


_HIGHER, _LOWER = "higher_is_better", "lower_is_better"

_KPIS: tuple[KpiExample, ...] = (
    # ---------------- Marketing ----------------
    _kpi("marketing.roi", "Return on investment (ROI)", "Pengembalian investasi (ROI)", "marketing", "strategic",
         "lagging", _HIGHER, 300, "%"),
    _kpi("marketing.ltv", "Customer lifetime value (LTV)", "Nilai seumur hidup pelanggan (LTV)", "marketing",
         "strategic", "lagging", _HIGHER, 18_000_000, "Rp"),
    _kpi("marketing.cac", "Customer acquisition cost (CAC)", "Biaya akuisisi pelanggan (CAC)", "marketing",
         "operational", "lagging", _LOWER, 1_500_000, "Rp"),
    _kpi("marketing.conversion_rate", "Conversion rate", "Tingkat konversi", "marketing", "operational", "leading",
         _HIGHER, 2.5, "%"),
    _kpi("marketing.social_media", "Social media interactions", "Interaksi media sosial", "marketing",
         "operational", "leading", _HIGHER, 5_000, "interactions", "interaksi", frequency="weekly"),
    _kpi("marketing.call_to_action", "Call-to-action conversion rate", "Tingkat konversi ajakan bertindak",
         "marketing", "operational", "leading", _HIGHER, 5, "%"),
    _kpi("marketing.blog_articles", "Blog articles published per month", "Artikel blog terbit per bulan",
         "marketing", "functional", "leading", _HIGHER, 8, "articles", "artikel"),
    _kpi("marketing.clickthrough", "Email clickthrough rate", "Rasio klik email", "marketing", "operational",
         "leading", _HIGHER, 3, "%"),
    # ---------------- Sales ----------------
    _kpi("sales.monthly_growth", "Monthly sales growth", "Pertumbuhan penjualan per bulan", "sales", "strategic",
         "lagging", _HIGHER, 5, "%"),
    _kpi("sales.calls_emails", "Calls and emails per month", "Panggilan dan email per bulan", "sales",
         "operational", "leading", _HIGHER, 1_200, "activities", "aktivitas"),
    _kpi("sales.opportunity_to_deal", "Opportunity-to-deal ratio", "Rasio peluang menjadi transaksi", "sales",
         "operational", "lagging", _HIGHER, 25, "%"),
    _kpi("sales.average_purchase", "Average purchase value", "Nilai rata-rata pembelian", "sales", "operational",
         "lagging", _HIGHER, 12_000_000, "Rp"),
    _kpi("sales.leads_growth", "Growth in leads received by the third quarter",
         "Pertumbuhan prospek yang diterima hingga kuartal ketiga", "sales", "operational", "leading", _HIGHER, 50,
         "%", frequency="quarterly", source=True),
    # ---------------- Service ----------------
    _kpi("service.tickets_resolved", "Tickets resolved", "Tiket yang diselesaikan", "service", "operational",
         "lagging", _HIGHER, 400, "tickets", "tiket", frequency="weekly"),
    _kpi("service.csat", "Customer satisfaction score (CSAT)", "Skor kepuasan pelanggan (CSAT)", "service",
         "operational", "lagging", _HIGHER, 4.5, "/5", frequency="weekly", source=True),
    _kpi("service.first_response_time", "First response time", "Waktu respons pertama", "service", "operational",
         "leading", _LOWER, 4, "hours", "jam", frequency="weekly", source=True),
    _kpi("service.nps", "Net Promoter Score (NPS)", "Net Promoter Score (NPS)", "service", "strategic", "lagging",
         _HIGHER, 10, "points", "poin", source=True),
    _kpi("service.reply_time", "Average reply time", "Rata-rata waktu balasan", "service", "operational",
         "leading", _LOWER, 30, "minutes", "menit", frequency="weekly", source=True),
    _kpi("service.churn", "Monthly churn rate", "Tingkat churn bulanan", "service", "strategic", "lagging", _LOWER,
         3, "%"),
    # ---------------- Website ----------------
    _kpi("website.traffic", "Website traffic", "Lalu lintas situs web", "website", "operational", "leading",
         _HIGHER, 15_000, "visits", "kunjungan", frequency="weekly"),
    _kpi("website.traffic_sources", "Share of traffic from organic search",
         "Porsi lalu lintas dari pencarian organik", "website", "operational", "leading", _HIGHER, 40, "%"),
    _kpi("website.pages_per_session", "Pages per session", "Halaman per sesi", "website", "operational", "leading",
         _HIGHER, 3, "pages", "halaman", frequency="weekly"),
    _kpi("website.transactions", "Sales transactions per month", "Transaksi penjualan per bulan", "website",
         "operational", "lagging", _HIGHER, 100, "transactions", "transaksi", source=True),
    # ---------------- By type (strategic, operational, functional) ----------------
    _kpi("type.revenue", "Revenue", "Pendapatan", "finance", "strategic", "lagging", _HIGHER, 2_500_000_000, "Rp"),
    _kpi("type.market_share", "Market share", "Pangsa pasar", "sales", "strategic", "lagging", _HIGHER, 15, "%",
         frequency="quarterly"),
    _kpi("type.mrr_growth", "Monthly recurring revenue growth per quarter", "Pertumbuhan MRR per kuartal",
         "finance", "strategic", "lagging", _HIGHER, 20, "%", frequency="quarterly", source=True),
    _kpi("type.sales_per_region", "Sales per region", "Penjualan per wilayah", "sales", "operational", "lagging",
         _HIGHER, 500_000_000, "Rp"),
    _kpi("type.transport_cost", "Average monthly transport cost", "Biaya transportasi rata-rata bulanan", "finance",
         "operational", "lagging", _LOWER, 25_000_000, "Rp"),
    _kpi("type.cost_per_acquisition", "Cost per acquisition (CPA)", "Biaya per akuisisi (BPA)", "marketing",
         "operational", "lagging", _LOWER, 150_000, "Rp"),
    _kpi("type.time_to_resolution", "Mean time to resolution", "Waktu rata-rata penyelesaian", "engineering",
         "functional", "lagging", _LOWER, 24, "hours", "jam", frequency="weekly"),
    _kpi("type.gross_margin", "Gross profit margin", "Margin laba kotor", "finance", "functional", "lagging",
         _HIGHER, 70, "%"),
    _kpi("type.return_on_assets", "Return on assets", "Tingkat pengembalian aset", "finance", "functional",
         "lagging", _HIGHER, 8, "%", frequency="quarterly"),
    # ---------------- Roles ----------------
    _kpi("role.website_traffic_growth", "Website traffic growth per month", "Pertumbuhan traffic situs web per bulan",
         "marketing", "operational", "leading", _HIGHER, 15, "%", role="digital_marketing_specialist", source=True),
    _kpi("role.bounce_rate", "Bounce rate", "Bounce rate", "website", "operational", "leading", _LOWER, 40, "%",
         frequency="weekly", role="digital_marketing_specialist", source=True),
    _kpi("role.ad_conversion_rate", "Ad conversion rate", "Conversion rate iklan", "marketing", "operational",
         "leading", _HIGHER, 3, "%", frequency="weekly", role="digital_marketing_specialist", source=True),
    _kpi("role.first_contact_resolution", "Tickets resolved in one interaction",
         "Tiket selesai dalam satu interaksi", "service", "operational", "lagging", _HIGHER, 95, "%",
         frequency="weekly", role="customer_service_representative", source=True),
    _kpi("role.first_response_time", "First response time", "Waktu respons pertama", "service", "operational",
         "leading", _LOWER, 4, "hours", "jam", frequency="weekly", role="customer_service_representative",
         source=True),
    _kpi("role.csat", "Customer satisfaction score (CSAT)", "Skor kepuasan pelanggan (CSAT)", "service",
         "operational", "lagging", _HIGHER, 4.5, "/5", frequency="weekly", role="customer_service_representative",
         source=True),
    _kpi("role.closed_deals", "Closed deals per month", "Penutupan penjualan per bulan", "sales", "operational",
         "lagging", _HIGHER, 20, "deals", "penutupan", role="sales_executive", source=True),
    _kpi("role.monthly_revenue", "Monthly revenue", "Omzet bulanan", "sales", "strategic", "lagging", _HIGHER,
         150_000_000, "Rp", role="sales_executive", source=True),
    _kpi("role.activity_reports", "Weekly sales activity reports submitted",
         "Laporan aktivitas penjualan mingguan yang dikirim", "sales", "operational", "leading", _HIGHER, 100, "%",
         frequency="weekly", role="sales_executive", source=True),
    _kpi("role.seo_articles", "SEO articles written per month", "Artikel SEO ditulis per bulan", "marketing",
         "functional", "leading", _HIGHER, 8, "articles", "artikel", role="content_writer", source=True),
    _kpi("role.read_time", "Average read time per article", "Rata-rata waktu baca per artikel", "marketing",
         "functional", "leading", _HIGHER, 3, "minutes", "menit", frequency="weekly", role="content_writer",
         source=True),
    _kpi("role.revisions", "Revisions per article", "Revisi per artikel", "marketing", "functional", "lagging",
         _LOWER, 2, "revisions", "revisi", role="content_writer", source=True),
    _kpi("role.employee_retention", "Employee retention", "Tingkat retensi karyawan", "hr", "strategic", "lagging",
         _HIGHER, 90, "%", role="hr_officer", source=True),
    _kpi("role.time_to_hire", "Average time to hire", "Waktu rata-rata rekrutmen", "hr", "operational", "lagging",
         _LOWER, 30, "days", "hari", role="hr_officer", source=True),
    _kpi("role.mandatory_training", "New hires completing mandatory training in their first month",
         "Karyawan baru yang menuntaskan pelatihan wajib di bulan pertama", "hr", "functional", "leading", _HIGHER,
         100, "%", role="hr_officer", source=True),
)


def _key(value: str | None) -> str | None:
    """Filter values in any case, with spaces or dashes: "Customer success" -> "customer_success"."""
    return None if value is None else re.sub(r"[\s-]+", "_", value.strip().lower())


def okr_examples(team: str | None = None, role: str | None = None) -> list[OkrExample]:
    """OKR examples, of one team (:data:`TEAMS`) and/or one role (:data:`ROLES`); all when both are None."""
    team, role = _key(team), _key(role)
    return [e for e in _OKRS if (team is None or e.team == team) and (role is None or e.role == role)]


def kpi_examples(category: str | None = None, kpi_type: str | None = None, indicator: str | None = None,
                 role: str | None = None) -> list[KpiExample]:
    """KPI examples matching every filter given.

    Filters take the keys of :data:`CATEGORIES`, :data:`KPI_TYPES`, :data:`INDICATORS` and
    :data:`ROLES`, in any case and with spaces or dashes; None matches everything.
    """
    wanted = {"category": _key(category), "kpi_type": _key(kpi_type), "indicator": _key(indicator), "role": _key(role)}
    return [e for e in _KPIS if all(v is None or getattr(e, k) == v for k, v in wanted.items())]


def label(group: str, key: str, lang: str = "en") -> str:
    """The reader's name of a team, role, category, kpi_type or indicator key (``examples.<group>.<key>``)."""
    return translate(f"examples.{group}.{key}", lang)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")


def _csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def example_okr_csv(example: OkrExample, team: str, cycle_name: str, lang: str = "en", *,
                    objective_type: str = "aspirational", start_date: dt.date | None = None,
                    end_date: dt.date | None = None) -> bytes:
    """The example as an okrs CSV (one row per key result) for ``team`` in ``cycle_name``.

    Titles and units are in ``lang``; the numbers are the example's. ``start_date`` and
    ``end_date`` are needed for a cycle whose name is not a quarter.
    """
    dated = start_date is not None and end_date is not None
    rows = [{
        "cycle": cycle_name,
        "start_date": start_date.isoformat() if dated else "",
        "end_date": end_date.isoformat() if dated else "",
        "team": team,
        "objective": example.title(lang),
        "objective_type": objective_type,
        "key_result": kr.title(lang),
        "kind": kr.kind or "",
        "baseline": _number(kr.baseline),
        "target": _number(kr.target),
        "unit": kr.unit(lang),
    } for kr in example.key_results]
    return _csv(OKR_COLUMNS, rows)


def example_kpi_csv(example: KpiExample, team: str, as_of: dt.date | None = None, lang: str = "en") -> bytes:
    """The example as a kpis CSV that defines the KPI for ``team``: its target and no measurement.

    A draft has no measurement, so ``as_of`` is not written (a KPI row with a date needs a value);
    the KPI shows "No Data" until its first measurement is imported.
    """
    row = {
        "team": team,
        "kpi": example.title(lang),
        "target": _number(example.target),
        "unit": example.unit(lang),
        "direction": example.direction,
        "min": _number(example.min_value),
        "max": _number(example.max_value),
        "tolerance": "",
        "frequency": example.frequency,
        "kpi_type": example.kpi_type,
        "indicator": example.indicator,
        "category": example.category or "",
    }
    return _csv(KPI_COLUMNS, [row])
