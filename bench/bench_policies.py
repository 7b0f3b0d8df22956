"""Benchmark: policy search and matching on 10,000 policies × 100,000 enterprises, next to hand-written SQL.

    .venv/bin/python bench/bench_policies.py [--policies 10000] [--enterprises 100000] [--queries 200]
    scripts/with-postgres.sh .venv/bin/python bench/bench_policies.py     # SQLite, then PostgreSQL too

Each database in its own process: SQLite in a temporary file; PostgreSQL (when DATABASE_URL is set) in a
throw-away test database created next to the one DATABASE_URL names and dropped afterwards. The data is
drawn like the demo district (industries, sizes, types and streets with the demo's weights); most policies
carry 0–3 eligibility conditions. Then, for ≥ 200 random queries each, p50/p95 in ms of
  search     search_policies() → every matching id, ranked (and the list page's count + first 20)
             vs a hand-written LIKE scan over the four fields (substring semantics, no index)
  enterprise matching.policies_for_enterprise(enterprise) → ids vs one hand-written SQL query
  policy     matching.enterprises_for_policy(policy).count() vs one hand-written COUNT(*)
Ours and the raw SQL must give the same ids / counts (checked: the run fails otherwise). Times are printed,
never asserted. Aim: search and an enterprise's matches ≤ 50 ms p95.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ON = date(2026, 6, 30)

# Words of Chinese policy texts: what the titles, summaries and full texts are made of, and what people search.
TOPICS = ["创业担保贷款贴息", "小微企业融资担保", "科技型中小企业研发费用补助", "专精特新中小企业奖励", "高新技术企业认定奖励",
          "稳岗返还", "吸纳就业补贴", "职业技能培训补贴", "首台套重大技术装备保险补偿", "数字化转型示范项目",
          "中小微企业房租减免", "增值税留抵退税", "外贸企业出口信用保险", "跨境电商发展扶持", "商贸流通企业促消费",
          "餐饮住宿业纾困", "知识产权质押融资", "专利转化运用", "人才公寓租赁补贴", "青年人才就业见习",
          "绿色低碳技术改造", "楼宇经济发展奖励", "总部企业落户奖励", "上市挂牌融资奖励", "政府采购支持中小企业",
          "首贷户培育", "个体工商户纾困", "社保费缓缴", "研发设备购置补贴", "科技成果转化"]
ACTIONS = ["关于", "关于进一步", "关于加快", "关于支持", "关于印发"]
KINDS = ["的若干措施", "的实施细则", "的通知", "的实施办法", "的管理办法", "的工作方案", "申报指南"]
GENERIC = [
    "为深入贯彻落实党中央、国务院关于促进民营经济发展壮大的决策部署，进一步优化营商环境，结合本区实际，制定本{k}。",
    "各街道、各部门要加强政策宣传解读，做好政策兑现服务，推动惠企政策直达快享、免申即享。",
    "申报材料包括：申请表、营业执照复印件、上一年度财务报表、纳税证明及相关证明材料。",
    "区财政局会同区发改委、区科技局、区商务局等部门负责资金的审核拨付和监督管理。",
    "本{k}自印发之日起施行，有效期{y}年，由区发展和改革委员会负责解释。",
    "享受本政策的企业须无重大违法违规记录，未被列入严重失信主体名单。",
]
SENTENCES = GENERIC + [
    "对符合条件的{t}项目，按照实际发生额的{p}%给予一次性补助，单个企业最高不超过{m}万元。",
    "申请{t}的企业应当在本区依法注册登记，具有独立法人资格，且纳税关系在本区。",
    "企业获得{t}后，应当按照规定用途使用资金，不得挪作他用。",
    "对新认定的高新技术企业给予{m}万元奖励，对复审通过的给予{p}万元奖励。",
    "对小微企业和个体工商户的贷款，按照贷款市场报价利率的{p}%给予贴息，贴息期限不超过{y}年。",
    "本{k}所称中小微企业，按照《中小企业划型标准规定》确定。",
    "对吸纳高校毕业生、就业困难人员就业并缴纳社会保险的企业，按每人{m}元标准给予补贴。",
    "对参加境外展会的企业，按照展位费的{p}%给予补助，每家企业每年最高{m}万元。",
    "融资担保机构为小微企业提供担保的，担保费率不高于{p}%，对降费部分给予补偿。",
    "企业开展职业技能培训的，按照培训合格人数给予每人{m}元培训补贴。",
    "对租用本区国有房屋从事生产经营的服务业小微企业和个体工商户，减免{y}个月房屋租金。",
    "对获得专利授权并实施转化的企业，每件发明专利给予{m}元资助。",
    "对首次在境内外资本市场上市的企业，分阶段给予累计不超过{m}万元的奖励。",
    "企业研发费用按照实际发生额在税前加计扣除，并享受增值税留抵退税政策。",
    "对符合条件的企业实行社会保险费阶段性缓缴，缓缴期间免收滞纳金。",
    "对数字化转型示范项目，按照项目软硬件投资额的{p}%给予支持，最高{m}万元。",
    "对在本区新设立的总部企业，根据其经济贡献给予落户奖励和办公用房补贴。",
    "支持企业开展绿色低碳技术改造，对节能降碳效果明显的项目给予资金奖励。",
]
SEARCH_SHORT = ["贴息", "贷款", "补贴", "减免", "奖励", "人才", "房租", "融资", "担保", "稳岗", "社保", "培训", "研发", "专利",
                "上市", "出口", "展会", "就业", "退税", "总部", "楼宇", "绿色", "餐饮", "电商", "技改", "见习", "缓缴", "租金"]
SEARCH_LONG = ["小微企业", "专精特新", "高新技术企业", "创业担保贷款", "首台套", "数字化转型", "增值税留抵退税",
               "知识产权质押", "个体工商户", "免申即享", "一次性补助", "职业技能培训", "跨境电商", "吸纳就业",
               "融资担保机构", "政府采购", "科技成果转化", "人才公寓", "绿色低碳", "境外展会", "总部企业", "研发费用",
               "社会保险费", "营商环境", "区财政局", "纳税证明", "上市挂牌", "重大技术装备", "中小企业划型标准"]


def setup_django(var_dir, keep_database_url):
    os.environ["SHANGLIAN_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanglian.settings")
    if not keep_database_url:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return (time.perf_counter() - start) * 1000, result


# --- Data -------------------------------------------------------------------------------------------

def build(rng, n_policies, n_enterprises):
    from django.db import transaction

    from shanglian.common.models import DictItem, IndustryCode
    from shanglian.demo import orgs
    from shanglian.demo.draws import weighted
    from shanglian.members import demo
    from shanglian.members.models import Enterprise, Membership
    from shanglian.orgs.models import Department, Federation, Street
    from shanglian.policies.models import Policy, PolicyIndustry, delimited

    with transaction.atomic():
        city = Federation.objects.create(name="天津市工商联", level="city", region_code="120100")
        district = Federation.objects.create(name="河西区工商联", level="county", region_code="120103", parent=city)
        streets = [Street.objects.create(federation=district, name=name, code=f"120103{i + 1:03d}")
                   for i, (name, _roads) in enumerate(orgs.STREETS)]
        departments = [Department.objects.create(federation=district, name=name, short_name=short)
                       for name, short in orgs.DEPARTMENTS[:17]]
        city_department = Department.objects.create(federation=city, name="天津市科学技术局", short_name="市科技局")
        types = dict(DictItem.objects.filter(kind="enterprise_type").values_list("code", "pk"))
        benefit_types = list(DictItem.objects.filter(kind="benefit_type").values_list("pk", flat=True))
        mix = demo.INDUSTRY_MIX
        sections = dict(IndustryCode.objects.filter(code__in=[r[0] for r in mix]).values_list("code", "section"))
        codes, weights = [r[0] for r in mix if r[0] in sections], [r[1] for r in mix if r[0] in sections]

        enterprises = []
        for i in range(n_enterprises):
            type_code = weighted(rng, demo.TYPE_WEIGHTS)
            size = "micro" if type_code == "individual" else weighted(rng, demo.SIZE_WEIGHTS)
            low, high = demo.EMPLOYEES[size]
            gap = rng.random()
            enterprises.append(Enterprise(
                federation=district, name=f"天津基准{i}号商贸有限公司", uscc=f"91120103B{i:09d}",
                enterprise_type_id=types.get(type_code, types["private"]),
                industry_id=rng.choices(codes, weights)[0], size=size if gap > 0.01 else "",
                is_high_tech=rng.random() < 0.12,
                street=None if gap < 0.025 else rng.choices(streets, orgs.STREET_WEIGHTS)[0],
                founded=None if 0.025 <= gap < 0.04 else date(1995, 1, 1) + timedelta(days=rng.randrange(11000)),
                employees=None if 0.04 <= gap < 0.055 else rng.randint(low, high)))
        Enterprise.objects.bulk_create(enterprises, batch_size=2000)
        ids = list(Enterprise.objects.values_list("pk", flat=True))
        memberships = [Membership(federation=district, kind=Membership.Kind.ENTERPRISE, enterprise_id=pk,
                                  number=f"B{pk:07d}", joined=date(2010, 1, 1) + timedelta(days=rng.randrange(5000)))
                       for pk in ids if rng.random() < 0.35]
        Membership.objects.bulk_create(memberships, batch_size=2000)

        policies, industries = [], []
        for i in range(n_policies):
            topic = rng.choice(TOPICS)
            dept = rng.randrange(len(departments))
            year = rng.choice([2023, 2024, 2025, 2026])

            # A policy speaks of its own topic in a few kinds of sentence, plus the usual boilerplate.
            own = rng.sample(SENTENCES[len(GENERIC):], 4)

            def sentence(templates=own, topic=topic):
                return rng.choice(templates).format(
                    t=topic if rng.random() < 0.8 else rng.choice(TOPICS), k=rng.choice(["办法", "措施", "细则"]),
                    p=rng.choice([20, 30, 50, 80]), m=rng.choice([5, 10, 50, 100, 500]), y=rng.choice([1, 2, 3]))

            conditions = rng.choices([0, 1, 2, 3, 4, 5], weights=[30, 30, 20, 12, 5, 3])[0]
            kinds = rng.sample(["industry", "size", "type", "street", "tech", "employees", "years", "member"],
                               conditions)
            policy = Policy(
                federation=city if i % 10 == 0 else district,
                department=city_department if i % 10 == 0 else departments[dept],
                title=f"{rng.choice(ACTIONS)}{topic}{rng.choice(KINDS)}",
                document_number=f"河西{orgs.DEPARTMENTS[dept][1][1:]}发〔{year}〕{i % 300 + 1}号",
                published_on=date(year, 1, 1) + timedelta(days=rng.randrange(180)),
                summary="".join(sentence() for _ in range(2)),
                full_text=sentence(GENERIC[:1]) + "".join(sentence() for _ in range(rng.randint(6, 30)))
                + "".join(sentence(GENERIC[1:]) for _ in range(2)),
                benefit_type_id=rng.choice(benefit_types),
                status=rng.choices(["published", "draft", "expired"], weights=[85, 5, 10])[0],
                expires_on=rng.choice([None, None, date(2025, 12, 31), date(2027, 12, 31)]),
                sizes=delimited(rng.sample(["micro", "small", "medium", "large"], rng.randint(1, 2)))
                if "size" in kinds else "",
                enterprise_types=delimited(rng.sample(["private", "individual"], 1)) if "type" in kinds else "",
                streets=delimited([s.pk for s in rng.sample(streets, rng.randint(1, 3))])
                if "street" in kinds and i % 10 else "",
                high_tech_required="tech" in kinds, members_only="member" in kinds,
                min_employees=rng.choice([None, 10, 50]) if "employees" in kinds else None,
                max_employees=rng.choice([99, 299]) if "employees" in kinds else None,
                min_registered_years=rng.choice([1, 2, 3]) if "years" in kinds else None,
                max_registered_years=rng.choice([None, 5, 10]) if "years" in kinds else None)
            policy.industry_prefixes = (sorted({rng.choice(codes)[:rng.choice([2, 2, 3, 4])]
                                                for _ in range(rng.randint(1, 3))}
                                               | ({sections[rng.choice(codes)]} if rng.random() < 0.3 else set()))
                                        if "industry" in kinds else [])
            if policy.min_employees is None and policy.max_employees is not None:
                policy.min_employees = 1
            policies.append(policy)
        Policy.objects.bulk_create(policies, batch_size=500)
        for policy in policies:
            industries += [PolicyIndustry(policy=policy, prefix=p) for p in policy.industry_prefixes]
        PolicyIndustry.objects.bulk_create(industries, batch_size=2000)
    return [p.pk for p in policies], ids, [p.document_number for p in policies]


# --- Hand-written SQL ---------------------------------------------------------------------------------

def raw_search(cursor, words):
    """Every policy containing each word in one of the four fields: a LIKE scan (no index)."""
    clauses, params = [], []
    for word in words:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        fields = " OR ".join(f"UPPER({c}) LIKE UPPER(%s) ESCAPE '\\'"
                             for c in ("title", "document_number", "summary", "full_text"))
        clauses.append(f"({fields})")
        params += [pattern] * 4
    cursor.execute("SELECT id FROM policies_policy WHERE " + " AND ".join(clauses), params)  # noqa: S608
    return {row[0] for row in cursor.fetchall()}


MEMBER_SQL = ("EXISTS (SELECT 1 FROM members_membership m WHERE m.enterprise_id = e.id AND m.joined <= %s"
              " AND (m.\"left\" IS NULL OR m.\"left\" > %s) AND (m.suspended_on IS NULL OR m.suspended_on > %s))")


def raw_enterprise_policies(cursor, enterprise_id):
    from shanglian.policies.matching import registered_years

    cursor.execute(
        "SELECT e.federation_id, f.parent_id, e.industry_id, ic.section, e.size, t.code, e.street_id,"
        " e.is_high_tech, e.employees, e.founded, " + MEMBER_SQL +
        " FROM members_enterprise e JOIN orgs_federation f ON f.id = e.federation_id"
        " JOIN common_industrycode ic ON ic.code = e.industry_id JOIN common_dictitem t ON t.id = e.enterprise_type_id"
        " WHERE e.id = %s", [ON, ON, ON, enterprise_id])
    fed, parent, industry, section, size, type_code, street, tech, employees, founded, member = cursor.fetchone()
    if isinstance(founded, str):
        founded = date.fromisoformat(founded)
    sql = ["SELECT p.id FROM policies_policy p WHERE p.status = 'published'"
           " AND (p.expires_on IS NULL OR p.expires_on >= %s) AND p.federation_id IN (%s, %s)"
           " AND (NOT EXISTS (SELECT 1 FROM policies_policyindustry i WHERE i.policy_id = p.id)"
           " OR EXISTS (SELECT 1 FROM policies_policyindustry i WHERE i.policy_id = p.id"
           " AND i.prefix IN (%s, %s, %s, %s)))"]
    params = [ON, fed, parent or fed, industry[:2], industry[:3], industry[:4], section]
    for column, value in (("sizes", size), ("enterprise_types", type_code), ("streets", street)):
        if value:
            sql.append(f"AND (p.{column} = '' OR p.{column} LIKE %s)")
            params.append(f"%,{value},%")
        else:
            sql.append(f"AND p.{column} = ''")
    if not tech:
        sql.append("AND p.high_tech_required = %s")
        params.append(False)
    if not member:
        sql.append("AND p.members_only = %s")
        params.append(False)
    for low, high, value in (("min_employees", "max_employees", employees),
                             ("min_registered_years", "max_registered_years",
                              registered_years(founded, ON) if founded else None)):
        if value is None:
            sql.append(f"AND p.{low} IS NULL AND p.{high} IS NULL")
        else:
            sql.append(f"AND (p.{low} IS NULL OR p.{low} <= %s) AND (p.{high} IS NULL OR p.{high} >= %s)")
            params += [value, value]
    cursor.execute(" ".join(sql), params)
    return {row[0] for row in cursor.fetchall()}


def raw_policy_count(cursor, policy_id):
    from shanglian.policies.matching import years_before

    cursor.execute("SELECT federation_id, sizes, enterprise_types, streets, high_tech_required, min_employees,"
                   " max_employees, min_registered_years, max_registered_years, members_only"
                   " FROM policies_policy WHERE id = %s", [policy_id])
    fed, sizes, types, streets, tech, min_emp, max_emp, min_years, max_years, members_only = cursor.fetchone()
    cursor.execute("SELECT prefix FROM policies_policyindustry WHERE policy_id = %s", [policy_id])
    prefixes = [row[0] for row in cursor.fetchall()]
    sql = ["WITH RECURSIVE sub(id) AS (SELECT id FROM orgs_federation WHERE id = %s UNION ALL SELECT f.id FROM orgs_federation f"
           " JOIN sub ON f.parent_id = sub.id)"
           " SELECT COUNT(*) FROM members_enterprise e JOIN common_industrycode ic ON ic.code = e.industry_id"
           " JOIN common_dictitem t ON t.id = e.enterprise_type_id WHERE e.federation_id IN (SELECT id FROM sub)"]
    params = [fed]
    if prefixes:
        sql.append("AND (" + " OR ".join("ic.section = %s" if p.isalpha() else "e.industry_id LIKE %s"
                                         for p in prefixes) + ")")
        params += [p if p.isalpha() else p + "%" for p in prefixes]
    for column, text in (("e.size", sizes), ("t.code", types), ("e.street_id", streets)):
        values = [v for v in text.split(",") if v]
        if values:
            sql.append(f"AND {column} IN ({', '.join(['%s'] * len(values))})")
            params += [int(v) for v in values] if column == "e.street_id" else values
    if tech:
        sql.append("AND e.is_high_tech = %s")
        params.append(True)
    for clause, value in (("e.employees >= %s", min_emp), ("e.employees <= %s", max_emp),
                          ("e.founded <= %s", years_before(ON, min_years) if min_years is not None else None),
                          ("e.founded > %s", years_before(ON, max_years + 1) if max_years is not None else None)):
        if value is not None:
            sql.append("AND " + clause)
            params.append(value)
    if members_only:
        sql.append("AND " + MEMBER_SQL)
        params += [ON, ON, ON]
    cursor.execute(" ".join(sql), params)
    return cursor.fetchone()[0]


# --- One database ---------------------------------------------------------------------------------------

def phase(args):
    setup_django(args.var, keep_database_url=args.phase == "postgresql")
    from django.core.management import call_command
    from django.db import connection

    test_db = None
    if connection.vendor == "postgresql":
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    try:
        return measure(args)
    finally:
        if test_db:
            connection.creation.destroy_test_db(test_db, verbosity=0)


def measure(args):
    from django.db import connection

    from shanglian.members.models import Enterprise
    from shanglian.policies import matching
    from shanglian.policies.models import Policy
    from shanglian.policies.search import search_policies, search_words

    rng = random.Random(2026)
    start = time.perf_counter()
    policy_ids, enterprise_ids, numbers = build(rng, args.policies, args.enterprises)
    built = time.perf_counter() - start
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    def query():
        r = rng.random()
        if r < 0.35:
            return rng.choice(SEARCH_SHORT)
        if r < 0.65:
            return rng.choice(SEARCH_LONG)
        if r < 0.75:
            return rng.choice(numbers)
        if r < 0.85:
            return rng.choice(numbers)[-9:]  # 〔2025〕12号
        return f"{rng.choice(SEARCH_LONG)} {rng.choice(SEARCH_SHORT)}"

    rows = {}
    cursor = connection.cursor()

    def search_all(q):
        return set(search_policies(Policy.objects.all(), q).values_list("id", flat=True))

    def search_page(q):
        qs = search_policies(Policy.objects.all(), q)
        return qs.count(), list(qs.values_list("id", "rank")[:20])

    ours, page, raw, hits = [], [], [], []
    for _ in range(args.queries):
        q = query()
        t_ours, got = timed(search_all, q)
        t_page, (count, first) = timed(search_page, q)
        t_raw, expected = timed(raw_search, cursor, search_words(q))
        if got != expected or count != len(expected) or [i for i, _r in first] != [
                i for i, _r in sorted(first, key=lambda x: -x[1])]:
            raise SystemExit(f"search mismatch for {q!r}: ours {len(got)}, raw {len(expected)}")
        ours.append(t_ours)
        page.append(t_page)
        raw.append(t_raw)
        hits.append(len(expected))
    rows["search: all ids, ranked"] = (ours, raw)
    rows["search: count + first 20"] = (page, raw)

    def enterprise_matches(pk):
        return set(matching.policies_for_enterprise(Enterprise.objects.get(pk=pk), on=ON).values_list("id", flat=True))

    ours, raw, matched = [], [], []
    for pk in rng.sample(enterprise_ids, args.queries):
        t_ours, got = timed(enterprise_matches, pk)
        t_raw, expected = timed(raw_enterprise_policies, cursor, pk)
        if got != expected:
            raise SystemExit(f"enterprise {pk}: ours {len(got)} policies, raw {len(expected)}")
        ours.append(t_ours)
        raw.append(t_raw)
        matched.append(len(got))
    rows["enterprise's matched policies"] = (ours, raw)

    def policy_count(pk):
        return matching.enterprises_for_policy(Policy.objects.get(pk=pk), on=ON).count()

    ours, raw, counts = [], [], []
    for pk in rng.sample(policy_ids, args.queries):
        t_ours, got = timed(policy_count, pk)
        t_raw, expected = timed(raw_policy_count, cursor, pk)
        if got != expected:
            raise SystemExit(f"policy {pk}: ours {got} enterprises, raw {expected}")
        ours.append(t_ours)
        raw.append(t_raw)
        counts.append(got)
    rows["policy's match count"] = (ours, raw)
    cursor.close()
    return {"vendor": connection.vendor, "built": built,
            "rows": {k: [percentile(o, .5), percentile(o, .95), percentile(r, .5), percentile(r, .95)]
                     for k, (o, r) in rows.items()},
            "hits": statistics.median(hits), "matched": statistics.median(matched),
            "counts": statistics.median(counts)}


def run_phase(name, args, var_dir):
    command = [sys.executable, __file__, "--phase", name, "--var", var_dir, "--policies", str(args.policies),
               "--enterprises", str(args.enterprises), "--queries", str(args.queries)]
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{name} phase failed: {out.stdout.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--policies", type=int, default=10_000)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="run on one database only")
    parser.add_argument("--phase")
    parser.add_argument("--var")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args)))
        return
    phases = ["sqlite"] + (["postgresql"] if os.environ.get("DATABASE_URL") else [])
    phases = [name for name in phases if args.only in (None, name)]
    for name in phases:
        with tempfile.TemporaryDirectory(prefix="shanglian-bench-") as var_dir:
            result = run_phase(name, args, var_dir)
        print(f"\n{result['vendor']}: {args.policies:,} policies × {args.enterprises:,} enterprises "
              f"(built in {result['built']:.0f} s), {args.queries} random queries each; ms")
        print(f"{'':<32}{'ours p50':>10}{'ours p95':>10}{'raw p50':>10}{'raw p95':>10}")
        for label, (p50, p95, r50, r95) in result["rows"].items():
            print(f"{label:<32}{p50:>10.1f}{p95:>10.1f}{r50:>10.1f}{r95:>10.1f}")
        print(f"median hits per search {result['hits']:.0f}, policies per enterprise {result['matched']:.0f}, "
              f"enterprises per policy {result['counts']:.0f}; raw search = LIKE scan, "
              f"ids and counts equal to ours in every query")
    print("aim: search and an enterprise's matches <= 50 ms p95")


if __name__ == "__main__":
    main()
