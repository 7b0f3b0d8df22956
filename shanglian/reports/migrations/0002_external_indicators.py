from django.db import migrations

# 外部指标 shipped with the platform: the figures of the work reports that come from outside the federation's records
# (区统计局, 区市场监管局, 区委编办, 区财政局) or that the federation counts itself without a record kind of its own
# (本会统计). Staff enter or import their values per period (`reports.ExternalValue`), each with its source; staff may
# add indicators of their own. (code, name, unit, definition, default source, order)
INDICATORS = [
    ("private_enterprises", "民营企业", "户",
     "期末在本区登记注册、存续的民营企业（私营企业）户数，以区市场监管局市场主体登记统计为准。", "区市场监管局", 10),
    ("individual_businesses", "个体工商户", "户",
     "期末在本区登记注册、存续的个体工商户户数，以区市场监管局市场主体登记统计为准。", "区市场监管局", 20),
    ("private_enterprises_growth", "民营企业同比增幅", "%",
     "期末民营企业户数较上年同期增长的百分比（负数为减少），以区市场监管局发布数为准。", "区市场监管局", 30),
    ("individual_businesses_growth", "个体工商户同比增幅", "%",
     "期末个体工商户户数较上年同期增长的百分比（负数为减少），以区市场监管局发布数为准。", "区市场监管局", 40),
    ("private_new_capital_growth", "民营企业新增资本同比增幅", "%",
     "本期民营企业新设立及增资的注册资本合计较上年同期增长的百分比（负数为减少）。", "区市场监管局", 50),
    ("individual_new_capital_growth", "个体工商户新增资本同比增幅", "%",
     "本期个体工商户新登记的资金数额合计较上年同期增长的百分比（负数为减少）。", "区市场监管局", 60),
    ("private_capital", "民营资本累计", "亿元",
     "期末本区民营企业注册资本与个体工商户资金数额的累计，单位亿元。", "区市场监管局", 70),
    ("private_capital_share", "民营资本占全区各类市场资本比重", "%",
     "期末民营资本累计占全区各类市场主体注册资本总额的百分比。", "区市场监管局", 80),
    ("private_value_added", "民营经济增加值", "亿元",
     "本期本区民营经济实现的增加值（现价），以区统计局核算发布数为准，单位亿元。", "区统计局", 90),
    ("private_value_added_growth", "民营经济增加值增长", "%",
     "本期民营经济增加值按可比价格计算较上年同期增长的百分比，以区统计局发布数为准。", "区统计局", 100),
    ("enterprises_external_honours", "企业获上级荣誉", "家",
     "本期获得市级及以上党委、政府或上级工商联表彰、荣誉或榜单（如各类百强）的民营企业家数，一家企业只计一次。",
     "本会统计", 110),
    ("federation_honours", "本会所获上级奖项", "个",
     "本期本会及所属商会获得的上级组织（全国工商联、市工商联、区委区政府等）颁发的奖项和荣誉称号个数。", "本会统计", 120),
    ("office_staff", "机关专职干部", "人", "期末本会机关在岗的专职干部人数（不含兼职、挂职人员）。", "本会统计", 130),
    ("staffing_quota", "机关编制", "名", "期末区委编办核定的本会机关人员编制数。", "区委编办", 140),
    ("work_funds", "财政拨付工作经费", "万元", "本期区财政拨付本会的工作经费（不含人员经费），单位万元。", "区财政局", 150),
]


def seed(apps, schema_editor):
    ExternalIndicator = apps.get_model("reports", "ExternalIndicator")
    for code, name, unit, definition, source, order in INDICATORS:
        ExternalIndicator.objects.get_or_create(code=code, defaults={
            "name": name, "unit": unit, "definition": definition, "source": source, "order": order, "active": True})


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
