"""The demo district: a fictional 河西区工商联 with its chambers, committees, departments and members.

Used by `manage.py seed_demo` (demo mode only) and by tests. Two steps, so tests can check
determinism without a second database:

- `generate(enterprises=..., seed=...)` draws everything from one `random.Random(seed)` into a
  `DemoPlan` of plain Python values. It only *reads* the database (the GB/T 4754 industry codes that a
  migration loads), and the same seed gives the same plan, whatever the day it runs on.
- `build(...)` saves a plan in one transaction (bulk inserts for the thousands of rows) and creates
  the demo logins through `accounts.services.create_user`, so the password rules apply.

The plan also holds the federation's own members (`Membership`: enterprise, group and individual members
joining 2016–2026, with departures, suspensions and yearly dues), shaped like the seeds' district: about
880 members in force, more 个体工商户 than 私营企业, more individual than group, more local than
non-local, more traditional than high-tech members, and a year-end count that grows every year.

Every code (统一社会信用代码, 身份证号码, mobile) is generated with a valid check digit and is made
up; names of firms, persons and villages are fictional. Dates are fixed (`AS_OF`), never `today()`,
except the timestamps Django fills itself; encrypted columns differ between runs only because each
encryption uses a fresh nonce.
"""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from shanglian.accounts.roles import Role
from shanglian.common.codes import make_id_number, make_mobile, make_uscc
from shanglian.common.models import DictItem, IndustryCode
from shanglian.orgs.models import Chamber, Committee, Department, Federation, Position, Street, Term, Village

from .models import (
    ChamberMembership,
    DuesRecord,
    Enterprise,
    EnterpriseRole,
    Membership,
    Person,
    pinyin_initials,
)

__all__ = [
    "AS_OF",
    "DEFAULT_ENTERPRISES",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "DEMO_SEED",
    "DemoPlan",
    "build",
    "counts",
    "generate",
    "login_rows",
]

DEMO_SEED = 2026
DEMO_PASSWORD = "Shanglian@2026"
DEFAULT_ENTERPRISES = 1500
# The day the demo data "is as of": no joined/left date is later. Fixed, so every run is the same.
AS_OF = date(2026, 6, 30)
DISTRICT_REGION = "120103"

# --- Fixed reference data -------------------------------------------------------------------------

CITY = {"name": "天津市工商业联合会（总商会）", "short_name": "天津市工商联", "region_code": "120100"}
DISTRICT = {"name": "天津市河西区工商业联合会（总商会）", "short_name": "河西区工商联", "region_code": DISTRICT_REGION}

# (street, roads used in addresses); codes 120103001.. in this order.
STREETS = [
    ("大营门街道", ("大沽南路", "琼州道", "马场道")),
    ("下瓦房街道", ("大沽南路", "浦口道", "郁江道")),
    ("桃园街道", ("围堤道", "解放南路", "湘江道")),
    ("挂甲寺街道", ("解放南路", "琼州道", "围堤道")),
    ("马场街道", ("马场道", "气象台路", "友谊路")),
    ("越秀路街道", ("越秀路", "平山道", "吴家窑大街")),
    ("友谊路街道", ("友谊路", "宾水道", "紫金山路")),
    ("天塔街道", ("卫津南路", "宾水西道", "水上公园东路")),
    ("尖山街道", ("黑牛城道", "珠江道", "微山路")),
    ("陈塘庄街道", ("洞庭路", "黑牛城道", "利民道")),
    ("柳林街道", ("解放南路", "环岛西路", "太湖路")),
    ("东海街道", ("微山路", "平江道", "东海路")),
    ("梅江街道", ("友谊南路", "珠江道", "卫津南路")),
]
# Business districts hold more firms.
STREET_WEIGHTS = [7, 8, 6, 6, 8, 8, 14, 10, 7, 10, 6, 5, 9]

# The 12 专门委员会 named in the 河西区 work report.
COMMITTEES = [
    ("组织委员会", "会员发展、基层商会建设和组织网络的完善。"),
    ("经济（政策）委员会", "调查研究民营经济运行情况，宣传解读惠企政策，推动政策落地。"),
    ("参政议政委员会", "组织会员调研，形成提案、议案和意见建议，参与民主协商。"),
    ("权益保障委员会", "受理企业诉求，协调化解涉企纠纷，开展法律服务。"),
    ("公益光彩委员会", "组织光彩事业、结对帮扶和社会公益活动。"),
    ("对外交流委员会", "联络异地商会和兄弟工商联，组织考察、招商和经贸交流。"),
    ("文化建设委员会", "推动企业文化建设，组织理想信念教育和文化活动。"),
    ("健康委员会", "关注企业家身心健康，组织健康讲座和体育活动。"),
    ("顾问委员会", "由历届领导和资深企业家组成，为工商联工作建言献策。"),
    ("拥军委员会", "组织双拥共建、退役军人就业创业服务。"),
    ("妇女委员会", "联系服务女企业家，组织女性创业培训和交流。"),
    ("新生代委员会", "联系新生代企业家，组织传承培训和“杰青领航”活动。"),
]

# (full name, short name): 区税务局 first, so it gets the lowest id.
DEPARTMENTS = [
    ("国家税务总局天津市河西区税务局", "区税务局"),
    ("天津市河西区人力资源和社会保障局", "区人社局"),
    ("天津市河西区市场监督管理局", "区市场监管局"),
    ("天津市河西区人民法院", "区法院"),
    ("天津市河西区人民检察院", "区检察院"),
    ("天津市公安局河西分局", "区公安分局"),
    ("天津市河西区住房和建设委员会", "区住建委"),
    ("天津市河西区商务局", "区商务局"),
    ("天津市河西区发展和改革委员会", "区发改委"),
    ("天津市河西区科学技术局", "区科技局"),
    ("天津市河西区财政局", "区财政局"),
    ("天津市河西区司法局", "区司法局"),
    ("天津市河西区生态环境局", "区生态环境局"),
    ("天津市河西区城市管理委员会", "区城管委"),
    ("天津市河西区卫生健康委员会", "区卫健委"),
    ("天津市河西区教育局", "区教育局"),
    ("天津市河西区金融工作局", "区金融局"),
    ("天津市河西区政务服务办公室", "区政务服务办"),
    ("天津市规划和自然资源局河西分局", "区规划资源局"),
    ("天津市河西区应急管理局", "区应急局"),
]

# Places non-local firms are registered in (GB/T 2260 county codes) and the prefix of their names.
OTHER_TIANJIN = [("120101", "天津"), ("120102", "天津"), ("120104", "天津"), ("120105", "天津"),
                 ("120106", "天津"), ("120116", "天津")]
PROVINCES = {
    "浙江": [("330106", "浙江"), ("330302", "温州"), ("330782", "义乌")],
    "福建": [("350102", "福建"), ("350582", "晋江"), ("350302", "莆田")],
    "江苏": [("320106", "江苏"), ("320505", "苏州"), ("320282", "宜兴")],
    "河北": [("130102", "河北"), ("130903", "沧州"), ("130602", "保定")],
    "山东": [("370102", "山东"), ("370202", "青岛")],
    "北京": [("110105", "北京"), ("110108", "北京")],
}
NONLOCAL_CHAMBER_PROVINCES = ["浙江", "福建", "江苏", "河北"]
# Birthplaces (ID number region) of persons with no province of their own.
BIRTH_REGIONS = (
    [("120103", 30), ("120101", 6), ("120102", 6), ("120104", 6), ("120105", 4), ("120106", 3),
     ("120110", 3), ("120111", 3), ("120112", 2), ("120113", 2), ("120116", 3)]
    + [("130102", 2), ("130903", 2), ("370102", 2), ("410102", 2), ("330302", 1), ("350582", 1),
       ("320505", 1), ("430102", 1), ("210102", 1), ("140105", 1), ("150102", 1)]
)

# Chambers: (name, kind, street index, industry 大类 codes, founded year range).
STREET_CHAMBERS = [(f"河西区{street}商会", Chamber.Kind.STREET, i, (), (2012, 2018))
                   for i, (street, _roads) in enumerate(STREETS)]
OTHER_CHAMBERS = [
    ("河西区浙江商会", Chamber.Kind.NONLOCAL, None, (), (2005, 2012)),
    ("河西区福建商会", Chamber.Kind.NONLOCAL, None, (), (2006, 2013)),
    ("河西区江苏商会", Chamber.Kind.NONLOCAL, None, (), (2009, 2016)),
    ("河西区河北商会", Chamber.Kind.NONLOCAL, None, (), (2010, 2017)),
    ("河西区餐饮行业商会", Chamber.Kind.INDUSTRY, None, ("62",), (2008, 2014)),
    ("河西区建筑装饰行业商会", Chamber.Kind.INDUSTRY, None, ("50", "49"), (2009, 2015)),
    ("河西区软件和信息技术服务业商会", Chamber.Kind.INDUSTRY, None, ("65", "64", "63"), (2015, 2019)),
    ("河西区商贸流通行业商会", Chamber.Kind.INDUSTRY, None, ("51", "52"), (2008, 2013)),
    ("河西区科技服务业商会", Chamber.Kind.INDUSTRY, None, ("73", "74", "75"), (2016, 2020)),
    ("河西区友谊路楼宇商会", Chamber.Kind.BUILDING, 6, (), (2017, 2019)),
    ("河西区陈塘科技商务区楼宇商会", Chamber.Kind.BUILDING, 9, (), (2018, 2020)),
    ("河西区女企业家商会", Chamber.Kind.OTHER, None, (), (2012, 2016)),
]
CHAMBERS = STREET_CHAMBERS + OTHER_CHAMBERS
# Chambers whose 秘书长 is not filled in (the 工作台 todo "未设秘书长的商会"); never the first two.
CHAMBERS_WITHOUT_SECRETARY = {"河西区柳林街道商会", "河西区科技服务业商会", "河西区陈塘科技商务区楼宇商会"}
CHAMBERS_WITHOUT_PHONE = {"河西区东海街道商会"}
# Building chambers gather offices: services, IT, finance, consulting.
OFFICE_SECTIONS = set("IJKLM")

PAIRED_COUNTY = ("甘肃省定西市通渭县", "621121")
VILLAGE_TOWNS = ["平襄镇", "马营镇", "义岗川镇", "陇阳镇", "陇川镇", "华家岭镇", "常家河镇", "襄南镇"]
VILLAGE_STEMS = ["王家", "李家", "张家", "马家", "何家", "杨家", "赵家", "牛家", "石家", "刘家",
                 "新庄", "红星", "庙儿", "柳树", "杏树", "槐树", "高峰", "前进", "团结", "五星"]
VILLAGE_ENDS = ["沟", "岔", "湾", "川", "坪", "岘", "塬", "梁", "庄", "堡"]

TERM = {"number": 17, "start": date(2021, 12, 16), "end": date(2026, 12, 15)}

# Industry mix: GB/T 4754-2017 小类, weight, words for company names, words for 个体工商户 names.
# Weighted towards 批发零售, 住宿餐饮, 建筑, 软件, 商务服务 and some 制造.
INDUSTRY_MIX = """
5111 .4 粮食贸易,农产品
5117 .3 水产品贸易,海产品
5121 .6 粮油贸易,粮油食品 | 粮油批发部
5123 .6 果蔬贸易,农产品 | 蔬菜批发部,水果批发部
5124 .6 肉类食品,冷冻食品 | 冻品批发部
5126 .3 保健品
5127 1 酒业,茶业,饮品贸易 | 烟酒批发部,茶叶批发部
5129 .6 食品贸易,食品 | 食品批发部
5131 .3 纺织品,纺织品贸易
5132 .5 服饰,服装贸易 | 服装批发部
5134 .4 日化用品,化妆品贸易
5135 .3 日用品,家居用品 | 日杂批发部
5141 .3 文化用品,办公用品 | 文具批发部
5142 .3 体育用品,体育器材
5143 .2 图书发行,书业
5151 .5 医药,医药贸易
5152 .2 中药材,中药饮片
5154 .6 医疗器械,医疗设备
5162 .3 石油化工,能源
5164 .8 钢材贸易,金属材料,钢铁贸易
5165 .8 建材,建筑材料 | 建材经销部
5169 .4 化工产品,化工贸易
5172 .4 汽车配件,汽车贸易 | 汽配经销部
5174 .6 五金,五金机电 | 五金批发部
5175 .6 电气设备,电力设备
5176 .6 电脑科技,计算机系统,数码科技
5177 .3 通讯器材,通信设备
5179 .6 机电设备,机械设备,仪器设备
5181 .6 国际贸易,进出口贸易
5191 .3 再生资源,物资回收 | 废品回收站
5193 .4 电子商务,供应链
5199 1 商贸,贸易,物资,实业 | 商贸部
5211 .3 百货,商业
5212 .7 超市,商业连锁 | 超市
5213 .7 便利店,商业连锁 | 便利店,便民超市
5219 .3 商贸 | 商店
5221 .3 粮油 | 粮油店
5222 .4 食品,烘焙 | 糕点店,面包房
5223 .6 农产品,果业 | 水果店,蔬菜店,果蔬店
5224 .5 生鲜食品 | 生鲜店,肉铺,水产店
5226 .6 茶业,酒业 | 烟酒店,茶叶店,茶庄
5227 .2 | 烟酒店
5229 .3 食品 | 副食店,食品店
5232 .7 服饰 | 服装店,服饰店
5233 .2 鞋业 | 鞋店
5234 .4 化妆品 | 化妆品店
5236 .3 眼镜 | 眼镜店,眼镜行
5239 .3 日用品 | 日杂店,百货店
5241 .2 文化用品 | 文具店
5242 .2 体育用品 | 体育用品店
5243 .2 图书 | 书店
5245 .3 珠宝,黄金珠宝 | 珠宝店
5246 .2 艺术品,文化艺术 | 工艺品店,画廊
5251 .6 大药房,医药连锁 | 药店,大药房
5252 .2 中药 | 中药店
5254 .2 医疗器械 | 医疗器械店
5261 .4 汽车销售服务,汽车贸易
5263 .3 汽车配件 | 汽配商店
5265 .1 石油销售
5267 .2 新能源,充电科技
5272 .3 电器 | 电器商行,家电商店
5273 .3 电脑科技,数码 | 电脑商店
5274 .3 通讯器材 | 手机店,通讯器材店
5281 .3 五金 | 五金店,五金商店
5283 .3 家具 | 家具店
5285 .2 卫浴 | 洁具店
5287 .2 建材,陶瓷 | 瓷砖店
5292 .8 电子商务,网络科技 | 网店
5297 .2 宠物用品 | 宠物用品店
6110 .3 酒店管理,大酒店
6121 .3 酒店管理
6129 .5 宾馆,酒店 | 旅馆,宾馆,招待所
6130 .2 民宿 | 民宿
6210 3 餐饮管理,餐饮,酒楼 | 饭店,餐馆,酒楼,菜馆
6220 1.2 餐饮管理,快餐 | 快餐店,面馆,包子铺,饺子馆
6231 .3 茶文化,茶艺 | 茶社,茶馆
6232 .3 咖啡 | 咖啡馆
6239 .4 饮品 | 奶茶店,饮品店
6241 .3 餐饮配送,团餐服务
6291 .8 餐饮,小吃 | 小吃店,早点铺,煎饼馃子铺
6299 .3 餐饮 | 烧烤店,熟食店
4710 .6 建筑工程,建设工程
4790 .3 建筑工程
4813 .4 市政工程
4819 .2 路桥工程
4852 .3 管道工程
4862 .3 环保工程
4875 .3 新能源工程,光伏科技
4879 .2 电力工程
4891 .6 园林绿化工程,园林景观
4910 .6 电气工程,机电安装工程
4920 .5 机电设备安装工程,暖通工程
5011 1.5 建筑装饰工程,装饰工程
5012 1.5 装饰设计工程,家居装饰 | 装饰部
5013 .4 幕墙工程
5021 .2 拆除工程
6311 .2 通信技术,通信工程
6429 .5 网络科技,信息技术
6431 .4 互联网科技,网络科技
6432 .4 网络科技,互联网信息服务
6440 .3 信息安全技术,网络安全技术
6450 .4 数据科技,大数据科技
6511 .4 软件,软件技术
6512 .3 软件
6513 2 软件开发,软件技术,软件,智能科技
6519 .5 软件
6520 .4 微电子,集成电路设计
6531 1.2 信息系统工程,系统集成,信息技术
6532 .8 物联网科技,智能科技
6540 .4 信息技术服务,网络技术
6560 .5 信息技术咨询,信息技术
6572 .3 动漫,游戏科技
6579 .4 数字科技,数字传媒
6599 .4 信息技术,电子科技
7010 1 房地产开发,置业
7020 1.5 物业管理,物业服务
7030 1 房地产经纪,房产经纪 | 房产中介
7040 .3 资产管理,房屋租赁
7111 .3 汽车租赁
7113 .3 设备租赁,工程机械租赁
7211 .2 企业管理,实业
7212 .6 投资管理,资产管理
7221 .2 产业园管理,科技园管理
7222 .2 商业管理
7224 .5 供应链管理
7241 .8 财务咨询,财税服务
7243 .8 企业管理咨询,管理咨询
7249 .6 咨询服务,信息咨询
7251 .3 网络传媒,互联网广告
7259 1 广告,文化传媒,广告传媒 | 广告部,图文设计部
7262 .4 人力资源,人力资源服务
7263 .5 劳务派遣,劳务服务
7271 .4 保安服务
7281 .2 会展服务
7284 .4 文化会展,会展服务
7291 .5 国际旅行社,旅行社
7293 .3 办公服务 | 图文快印店,打字复印部
7294 .2 翻译服务
7297 .4 商务信息咨询,企业服务
7299 .8 商务服务,企业服务 | 商务服务部
7320 .8 工程技术,科技发展
7340 .3 生物医药科技,医药科技
7449 .3 测绘
7452 .6 检测技术,检测服务
7455 .3 认证服务,检验认证
7461 .3 环境检测技术,环境监测
7481 .4 工程管理,工程项目管理
7482 .4 工程监理,建设监理
7484 .8 建筑设计,工程设计
7491 .3 工业设计
7492 .5 设计,创意设计,文化创意 | 设计工作室
7514 .4 节能科技,节能技术
7515 .3 新能源科技
7516 .4 环保科技
7519 1 科技发展,科技,技术服务
7520 .4 知识产权代理,专利代理
7530 .2 科技服务
7540 .3 孵化器管理,创业服务
1411 .3 食品,烘焙食品
1432 .2 食品
1499 .3 食品,食品科技
1819 .3 服装,服饰
2319 .4 印刷,包装印刷,彩印 | 印刷部
2641 .2 涂料
2669 .2 化工科技,化学科技
2682 .2 化妆品,生物科技
3311 .3 钢结构,金属结构
3312 .2 门窗,金属门窗
3484 .3 机械,精密机械
3443 .2 阀门
3424 .2 焊接设备,机电
3581 .3 医疗器械,医疗科技
3584 .2 医疗器械
3591 .3 环保设备,环境科技
3823 .3 电气,电气设备,电力设备
3825 .2 光伏科技,新能源
3831 .2 电缆,线缆
3872 .2 照明,照明科技
3913 .2 电子科技
3914 .3 自动化,智能科技
3921 .2 通信设备,通信科技
3976 .2 光电科技
3982 .3 电子,电子科技
3983 .3 传感技术,传感器
4011 .4 自动化,自动化设备,控制技术
4014 .3 仪器,分析仪器
4028 .2 电子仪器,测试技术
5431 .4 物流,运输 | 货运部
5432 .2 冷链物流
5437 .4 城市配送,物流
5438 .2 搬家服务 | 搬家服务部
5821 1 国际物流,国际货运代理,货运代理
5920 .4 仓储,仓储物流
5930 .2 冷链仓储,冷链物流
8010 .6 家政服务,家庭服务 | 家政服务部
8020 .2 托育服务
8030 .2 洗涤服务 | 洗衣店,干洗店
8040 1.2 美容美发,美业 | 理发店,美发店,美容院,美发工作室
8052 .3 足浴,保健 | 足浴店
8053 .5 健康管理,养生 | 养生馆
8060 .3 摄影,文化传媒 | 照相馆,摄影工作室
8070 .3 婚庆,婚礼策划 | 婚庆服务部
8111 .8 汽车服务,汽车维修 | 汽车修理部,汽车美容店
8121 .3 电脑维修,计算机技术服务 | 电脑维修部
8131 .2 家电维修 | 家电维修部
8192 .1 | 皮具护理店
8199 .1 | 日用品修理部
8391 .5 职业培训,职业技能培训
8393 .8 文化艺术培训,艺术培训
8394 .4 教育科技,教育咨询
8425 .4 口腔门诊部,医疗管理 | 诊所
8810 .3 文化艺术,文化传播,演艺
8930 .5 健身,体育文化,健身管理 | 健身房,健身工作室
9019 .3 娱乐 | 棋牌室,桌游馆
9051 .4 文化传播,文化活动策划
9053 .2 文化经纪,演艺经纪
"""

# Sections whose firms are often 高新技术企业.
TECH_SECTIONS = set("ICM")
TECH_MANUFACTURING = ("34", "35", "38", "39", "40", "26")

# --- Name material (fictional) ---------------------------------------------------------------------

SURNAMES = (
    "王王王王李李李李张张张张刘刘刘陈陈陈杨杨杨赵赵黄黄周周吴吴徐徐孙孙胡朱高林何郭马罗梁宋郑谢"
    "韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊"
    "金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文"
)
GIVEN_MALE = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦奇之翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
GIVEN_FEMALE = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
BRAND_FIRST = "鑫华恒泰瑞德宏盛昌隆源达通利诚博嘉和兴创远海金丰佳祥安正鸿聚汇盈联永新中天卓越智腾跃辰星光明晟弘伟凯旭睿宇航融耀润津河信亿万福乾坤鼎益顺合晨"
BRAND_SECOND = "华源达通利盛泰昌隆丰祥安信诚和兴创远成发辉明宇晟鑫瑞德宏鸿邦泽峰川海洋航科业运康美嘉佳卓越锦程凯讯驰捷普众恒新航旗"
FOREIGN_BRANDS = ["欧德堡", "安斯泰", "维尔纳", "莱茵德", "卡尔森", "诺德曼", "樱川", "丰和田", "韩信达", "金世宇",
                  "艾伦斯", "柯林斯", "贝尔托", "马丁利"]
BUILDING_NAMES = ["国际大厦", "商务中心", "金融中心", "科技大厦", "创意园", "广场", "写字楼", "大厦"]

TYPE_WEIGHTS = [("private", 75.5), ("individual", 20), ("foreign", 2), ("hmt", 1.5), ("other", 1)]
SIZE_WEIGHTS = [("micro", 45), ("small", 38), ("medium", 13), ("large", 4)]
EMPLOYEES = {"micro": (1, 9), "small": (10, 99), "medium": (100, 299), "large": (300, 2000)}
CAPITAL = {  # 注册资本（万元）, typical round amounts per size
    "micro": [3, 5, 10, 20, 30, 50, 100],
    "small": [50, 100, 200, 300, 500, 800, 1000],
    "medium": [500, 1000, 2000, 3000, 5000],
    "large": [5000, 10000, 20000, 50000],
}
POLITICAL_WEIGHTS = [("cpc", 30), ("democratic", 8), ("nonparty", 7), ("masses", 55)]
EDUCATION_WEIGHTS = {
    "old": [("doctor", 2), ("master", 12), ("bachelor", 36), ("college", 28), ("other", 22)],
    "young": [("doctor", 4), ("master", 24), ("bachelor", 52), ("college", 15), ("other", 5)],
}

# Demo logins: username, role, display name (or how to derive it), the unit it is bound to.
DEMO_LOGINS = [
    ("admin", Role.SYSADMIN, "赵工", "federation"),
    ("staff", Role.STAFF, "王主任", "federation"),
    ("leader", Role.LEADER, None, "federation"),
    ("chamber1", Role.CHAMBER, None, "chamber1"),
    ("chamber2", Role.CHAMBER, None, "chamber2"),
    ("dept1", Role.DEPARTMENT, None, "department"),
    ("ent1", Role.ENTERPRISE, None, "enterprise"),
    ("auditor", Role.AUDITOR, "周审计员", "federation"),
]


# Federation members (工商联会员), shaped like the seeds: a district of 880 members = 316 企业 + 20 团体 +
# 564 个人, grown from a few hundred within a few years, with the "三多三少" structure (more 个体工商户
# than 私营企业, more individual than group members, more local than non-local, more traditional than
# high-tech). Shares are of the plan's enterprises / persons, so a smaller demo keeps the shape.
MEMBER_ENTERPRISE_SHARE = 0.229  # of all enterprises: ≈ 345 of 1,500, ≈ 316 in force after departures
MEMBER_SELF_EMPLOYED_SHARE = 0.58  # of the enterprise members: 个体工商户 (the rest mostly 私营企业)
MEMBER_PERSON_SHARE = 0.622  # of all persons: ≈ 620 of 1,000, ≈ 564 in force
MEMBER_GROUPS = 20  # chambers of the district that are 团体会员
# Of the memberships that may end (not the term's officers, not the groups, not the demo login's firm):
MEMBER_LEFT_SHARE = 0.085  # departed (退会) by AS_OF: ≈ 8 % of all memberships
MEMBER_SUSPENDED_SHARE = 0.013  # suspended (暂停) on AS_OF: a dozen
# Joins per year (relative): fewer early, more later; 2026 is half a year (AS_OF is 30 June).
MEMBER_JOIN_WEIGHTS = {2016: 40, 2017: 50, 2018: 60, 2019: 75, 2020: 85, 2021: 95, 2022: 105, 2023: 115,
                       2024: 125, 2025: 135, 2026: 90}
MEMBER_FIRST_YEAR = 2016
# Why members left, by kind (weights). 企业注销 and 迁出本区 also end the firm's chamber memberships.
UNPAID = "连续两年未缴会费"
MEMBER_LEAVE_REASONS = {
    Membership.Kind.ENTERPRISE: [("企业注销", 30), ("迁出本区", 20), ("企业申请退会", 30), (UNPAID, 20)],
    Membership.Kind.INDIVIDUAL: [("本人申请退会", 50), ("迁出本区", 20), (UNPAID, 30)],
}
ENTERPRISE_ENDS = {"企业注销", "迁出本区"}  # reasons that end the enterprise's chamber memberships too
# Chamber departures that do not end the enterprise: it stays a firm of the district.
CHAMBER_LEAVE_REASONS = [("企业申请退会", 50), (UNPAID, 30), ("转入其他商会", 20)]
# 会费标准（元/年）— the demo's own schedule: 企业会员 2,000 (个体工商户 500), 团体会员 3,000, 个人会员 200.
# The first year is paid on joining; later years mostly in the first half; ~10 % of later years are not
# paid (never two in a row for a member still in force); a member pays nothing for the year it leaves
# or is suspended in, and one that left for 连续两年未缴会费 paid nothing for the two years before.
DUES_ENTERPRISE = Decimal("2000")
DUES_SELF_EMPLOYED = Decimal("500")
DUES_GROUP = Decimal("3000")
DUES_INDIVIDUAL = Decimal("200")
DUES_UNPAID_SHARE = 0.10
BODY_POSITIONS = {  # Position.Title in the current term → Membership.BodyPosition of the person's membership
    Position.Title.CHAIRMAN: Membership.BodyPosition.CHAIRMAN,
    Position.Title.VICE_CHAIRMAN: Membership.BodyPosition.VICE_CHAIRMAN,
    Position.Title.STANDING: Membership.BodyPosition.STANDING,
    Position.Title.EXECUTIVE: Membership.BodyPosition.EXECUTIVE,
}


# --- The plan --------------------------------------------------------------------------------------


@dataclass
class EnterprisePlan:
    name: str
    uscc: str
    type_code: str
    industry: str
    size: str
    is_high_tech: bool
    region_code: str
    street: int | None
    is_local: bool
    founded: date
    employees: int | None
    registered_capital: Decimal | None
    legal_representative: str = ""
    contact_name: str = ""
    contact_mobile: str = ""
    address: str = ""
    province: str = ""  # for 异地商会 membership


@dataclass
class PersonPlan:
    name: str
    gender: str
    birth_date: date
    id_number: str
    mobile: str
    political: str
    education: str
    roles: list = field(default_factory=list)  # [(enterprise index, EnterpriseRole.Role)]

    @property
    def is_new_generation(self):
        return self.birth_date.year >= 1980


@dataclass
class ChamberPlan:
    name: str
    kind: str
    street: int | None
    industries: tuple
    founded: date
    registration_number: str = ""
    president: str = ""
    secretary_general: str = ""
    phone: str = ""
    address: str = ""


@dataclass
class MembershipPlan:
    """An enterprise's membership of one chamber (`ChamberMembership`)."""

    chamber: int
    enterprise: int
    joined: date
    status: str = ChamberMembership.Status.ACTIVE
    left: date | None = None
    position: str = ""
    left_reason: str = ""


@dataclass
class MemberPlan:
    """A membership of the district federation (工商联会员, `Membership`).

    Exactly one of `enterprise` / `person` / `group` (indexes into the plan's enterprises, persons and
    chambers) is set, the one `kind` names. `dues` holds the paid years: [(year, amount 元, paid_on)].
    """

    kind: str
    joined: date
    enterprise: int | None = None
    person: int | None = None
    group: int | None = None
    number: str = ""
    status: str = Membership.Status.ACTIVE
    suspended_on: date | None = None
    left: date | None = None
    left_reason: str = ""
    body_position: str = Membership.BodyPosition.MEMBER
    dues: list = field(default_factory=list)

    def in_force(self, on):
        """The same rule as `selectors.membership_in_force_q`, on the plan."""
        return (self.joined <= on and (self.left is None or self.left > on)
                and (self.suspended_on is None or self.suspended_on > on))


@dataclass
class DemoPlan:
    seed: int
    departments: list  # (name, short_name, contact, phone)
    chambers: list
    villages: list  # (name, county, region_code, is_target)
    enterprises: list
    persons: list
    memberships: list
    positions: list  # (person index, title, committee index or None)
    logins: dict  # chamber1/chamber2/department/enterprise indexes and display names
    members: list  # MemberPlan: the federation's own members, in joining order

    def fingerprint(self):
        """A digest of everything generated, for determinism checks."""
        import hashlib

        text = repr((self.departments, self.chambers, self.villages, self.enterprises, self.persons,
                     self.memberships, self.positions, self.logins, self.members))
        return hashlib.sha256(text.encode()).hexdigest()


# --- Generation ------------------------------------------------------------------------------------


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _day_between(rng, start, end):
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _parse_industry_mix():
    rows = []
    for line in INDUSTRY_MIX.strip().splitlines():
        head, _, shops = line.partition("|")
        code, weight, *words = head.split()
        company = [w for w in (words[0].split(",") if words else []) if w]
        shop = [w for w in shops.strip().split(",") if w]
        rows.append((code, float(weight), company, shop))
    return rows


class _Names:
    """Person names and unique enterprise names drawn from one generator."""

    def __init__(self, rng):
        self.rng = rng
        self.taken = set()

    def person(self, female):
        rng = self.rng
        given = GIVEN_FEMALE if female else GIVEN_MALE
        surname = rng.choice(SURNAMES)
        name = surname + rng.choice(given)
        if rng.random() < 0.72:
            name += rng.choice(given)
        return name if len(set(name)) == len(name) else self.person(female)

    def brand(self):
        rng = self.rng
        first = rng.choice(BRAND_FIRST)
        second = rng.choice(BRAND_SECOND)
        while second == first:
            second = rng.choice(BRAND_SECOND)
        return first + second

    def unique(self, make):
        for _ in range(1000):
            name = make()
            if name not in self.taken:
                self.taken.add(name)
                return name
        raise RuntimeError("could not draw a unique enterprise name")


def _industry_table():
    rows = _parse_industry_mix()
    known = dict(IndustryCode.objects.filter(level=IndustryCode.Level.CLASS, code__in=[r[0] for r in rows])
                 .values_list("code", "section"))
    missing = [r[0] for r in rows if r[0] not in known]
    if missing:
        raise RuntimeError(
            "国民经济行业分类（GB/T 4754-2017）数据缺少以下小类：" + "、".join(missing) + "。请先执行 migrate。"
        )
    return [(code, weight, company, shop, known[code]) for code, weight, company, shop in rows]


def generate(enterprises=DEFAULT_ENTERPRISES, seed=DEMO_SEED):
    """Draw the whole demo district from `random.Random(seed)`; reads only the industry codes."""
    if enterprises < 40:
        raise ValueError("the demo district needs at least 40 enterprises")
    rng = random.Random(seed)
    names = _Names(rng)
    industries = _industry_table()

    # Departments: fictional contact persons and landlines.
    departments = []
    for name, short in DEPARTMENTS:
        contact = names.person(rng.random() < 0.4)
        phone = f"022-{rng.choice('2258')}{rng.randrange(1000000, 9999999)}"
        departments.append((name, short, contact, phone))

    # Chambers (officers are filled in once memberships exist).
    chambers = []
    for name, kind, street, divisions, (y0, y1) in CHAMBERS:
        chamber = ChamberPlan(name=name, kind=kind, street=street, industries=divisions,
                              founded=_day_between(rng, date(y0, 1, 1), date(y1, 12, 31)))
        if kind != Chamber.Kind.STREET or rng.random() < 0.5:
            chamber.registration_number = make_uscc(rng, DISTRICT_REGION, authority="5", entity_type="1")
        if name not in CHAMBERS_WITHOUT_SECRETARY:
            chamber.secretary_general = names.person(rng.random() < 0.45)
        if name not in CHAMBERS_WITHOUT_PHONE:
            chamber.phone = (f"022-{rng.choice('28')}{rng.randrange(1000000, 9999999)}" if rng.random() < 0.7
                             else make_mobile(rng))
        street_idx = street if street is not None else rng.randrange(len(STREETS))
        chamber.address = f"天津市河西区{rng.choice(STREETS[street_idx][1])}{rng.randrange(1, 400)}号"
        chambers.append(chamber)

    # Villages of the paired county.
    villages, seen = [], set()
    county, county_code = PAIRED_COUNTY
    while len(villages) < 32:
        town_idx = rng.randrange(len(VILLAGE_TOWNS))
        name = VILLAGE_TOWNS[town_idx] + rng.choice(VILLAGE_STEMS) + rng.choice(VILLAGE_ENDS) + "村"
        if name in seen:
            continue
        seen.add(name)
        code = f"{county_code}{101 + town_idx:03d}{200 + len(villages):03d}"
        villages.append((name, county, code, len(villages) < 30))

    ent_plans = [_enterprise(rng, names, industries) for _ in range(enterprises)]
    person_plans = _persons(rng, names, ent_plans)
    sections = {row[0]: row[4] for row in industries}
    memberships = _memberships(rng, chambers, ent_plans, person_plans, sections)
    _chamber_officers(rng, names, chambers, memberships, ent_plans, person_plans)
    positions = _positions(rng, person_plans, ent_plans)
    logins = _logins(chambers, memberships, ent_plans, departments, person_plans, positions)
    # Drawn last, so that everything above stays what it was before federation members existed.
    members = _federation_members(rng, chambers, ent_plans, person_plans, memberships, positions, logins)
    _chamber_departure_reasons(rng, memberships)
    return DemoPlan(seed=seed, departments=departments, chambers=chambers, villages=villages,
                    enterprises=ent_plans, persons=person_plans, memberships=memberships,
                    positions=positions, logins=logins, members=members)


def _enterprise(rng, names, industries):
    type_code = _weighted(rng, TYPE_WEIGHTS)
    individual = type_code == "individual"
    pool = [(row, row[1]) for row in industries if (row[3] if individual else row[2])]
    code, _weight, company_words, shop_words, section = _weighted(rng, pool)

    # Where it is registered: 85 % in the district; 个体工商户 always.
    province = ""
    region = DISTRICT_REGION
    if not individual and rng.random() < 0.176:  # ≈ 15 % of all enterprises
        if rng.random() < 0.45 or type_code in ("foreign", "hmt"):
            region, prefix = rng.choice(OTHER_TIANJIN)
        else:
            province = _weighted(rng, [("浙江", 5), ("福建", 4), ("江苏", 3), ("河北", 3), ("山东", 1.5),
                                       ("北京", 1.5)])
            region, prefix = rng.choice(PROVINCES[province])
    else:
        prefix = "天津"
    is_local = region == DISTRICT_REGION

    if individual:
        size = "micro"
    else:
        size = _weighted(rng, SIZE_WEIGHTS)

    def make_name():
        if individual:
            shop = rng.choice(shop_words)
            r = rng.random()
            if r < 0.25:
                brand = rng.choice(SURNAMES) + "记"
            elif r < 0.4:
                brand = "老" + rng.choice(SURNAMES)
            else:
                brand = names.brand()
            return f"天津市河西区{brand}{shop}"
        word = rng.choice(company_words)
        brand = names.brand()
        if type_code == "foreign":
            return f"{rng.choice(FOREIGN_BRANDS)}（天津）{word}有限公司"
        if type_code == "hmt":
            return f"{brand}（天津）{word}有限公司"
        start = prefix + ("市" if prefix == "天津" and rng.random() < 0.12 else "")
        if size == "large" and rng.random() < 0.4:
            return f"{start}{brand}{rng.choice(('实业', word))}集团有限公司"
        if size in ("large", "medium") and rng.random() < 0.15:
            return f"{start}{brand}{word}股份有限公司"
        return f"{start}{brand}{word}有限公司"

    name = names.unique(make_name)
    uscc = make_uscc(rng, region, entity_type="2" if individual else "1")
    while uscc in names.taken:
        uscc = make_uscc(rng, region, entity_type="2" if individual else "1")
    names.taken.add(uscc)

    year = 1995 + min(30, int(31 * rng.random() ** 0.75))
    founded = _day_between(rng, date(year, 1, 1), date(year, 12, 31))
    low, high = EMPLOYEES[size]
    employees = rng.randint(low, min(high, 8) if individual else high)
    capital = None if individual else Decimal(rng.choice(CAPITAL[size])).quantize(Decimal("0.01"))

    tech_share = 0.0
    if not individual:
        if section in TECH_SECTIONS and (section != "C" or code[:2] in TECH_MANUFACTURING):
            tech_share = 0.6
        elif section == "C":
            tech_share = 0.25
        else:
            tech_share = 0.05
    is_high_tech = rng.random() < tech_share

    street = rng.choices(range(len(STREETS)), weights=STREET_WEIGHTS)[0]
    roads = STREETS[street][1]
    address = f"天津市河西区{rng.choice(roads)}{rng.randrange(1, 500)}号"
    if not individual and rng.random() < 0.55:
        address += f"{names.brand()}{rng.choice(BUILDING_NAMES)}{rng.randrange(2, 32)}层{rng.randrange(1, 30):02d}室"

    plan = EnterprisePlan(
        name=name, uscc=uscc, type_code=type_code, industry=code, size=size, is_high_tech=is_high_tech,
        region_code=region, street=street, is_local=is_local, founded=founded, employees=employees,
        registered_capital=capital, address=address, province=province,
    )
    # Gaps for the "信息不完整" todo: no contact, no street, no headcount.
    gap = rng.random()
    if gap < 0.015:
        plan.street = None
    elif gap < 0.03:
        plan.employees = None
    if rng.random() > 0.04:
        plan.contact_mobile = make_mobile(rng)
        plan.contact_name = ""  # filled from the legal representative or a staff member later
    return plan


def _persons(rng, names, ent_plans):
    """~2 persons per 3 enterprises, each the 法定代表人 (or 董事长/总经理) of one firm, some of two."""
    count = round(len(ent_plans) * 2 / 3)
    primary = rng.sample(range(len(ent_plans)), count)
    persons = []
    for ent_idx in primary:
        ent = ent_plans[ent_idx]
        female = rng.random() < 0.24
        young = rng.random() < 0.25
        year = rng.randint(1980, 1998) if young else rng.randint(1955, 1979)
        birth = _day_between(rng, date(year, 1, 1), date(year, 12, 31))
        if ent.province:
            region = rng.choice(PROVINCES[ent.province])[0]
        else:
            region = _weighted(rng, BIRTH_REGIONS)
        person = PersonPlan(
            name=names.person(female),
            gender=Person.Gender.FEMALE if female else Person.Gender.MALE,
            birth_date=birth,
            id_number=make_id_number(rng, region, birth, female),
            mobile=make_mobile(rng),
            political=_weighted(rng, POLITICAL_WEIGHTS),
            education=_weighted(rng, EDUCATION_WEIGHTS["young" if young else "old"]),
        )
        if ent.type_code == "individual":
            role = EnterpriseRole.Role.LEGAL_REPRESENTATIVE
        else:
            role = _weighted(rng, [(EnterpriseRole.Role.LEGAL_REPRESENTATIVE, 75),
                                   (EnterpriseRole.Role.CHAIRMAN, 10), (EnterpriseRole.Role.GENERAL_MANAGER, 15)])
        person.roles.append((ent_idx, role))
        if role == EnterpriseRole.Role.LEGAL_REPRESENTATIVE:
            ent.legal_representative = person.name
        if rng.random() < 0.3:
            other = rng.randrange(len(ent_plans))
            if other != ent_idx and ent_plans[other].type_code != "individual":
                second = _weighted(rng, [(EnterpriseRole.Role.SHAREHOLDER, 60), (EnterpriseRole.Role.CHAIRMAN, 20),
                                         (EnterpriseRole.Role.GENERAL_MANAGER, 20)])
                person.roles.append((other, second))
        persons.append(person)

    # Firms without a recorded person still have a legal representative and a contact.
    for ent in ent_plans:
        if not ent.legal_representative:
            ent.legal_representative = names.person(rng.random() < 0.2)
        if ent.contact_mobile:
            if ent.size == "micro" and rng.random() < 0.6:
                ent.contact_name = ent.legal_representative
            else:
                ent.contact_name = names.person(rng.random() < 0.55)
        elif rng.random() < 0.5:
            ent.contact_mobile = ""  # neither name nor mobile
        else:
            ent.contact_mobile = make_mobile(rng)  # a mobile but no contact name
    return persons


def _memberships(rng, chambers, ent_plans, person_plans, sections):
    """About 70 % of firms belong to at least one chamber, each to the ones that fit it."""
    by_kind = defaultdict(list)
    for idx, chamber in enumerate(chambers):
        by_kind[chamber.kind].append(idx)
    street_chamber = {chambers[i].street: i for i in by_kind[Chamber.Kind.STREET]}
    industry_chamber = {div: i for i in by_kind[Chamber.Kind.INDUSTRY] for div in chambers[i].industries}
    province_chamber = {chambers[i].name.removeprefix("河西区").removesuffix("商会"): i
                        for i in by_kind[Chamber.Kind.NONLOCAL]}
    building_chamber = {chambers[i].street: i for i in by_kind[Chamber.Kind.BUILDING]}
    women_chamber = by_kind[Chamber.Kind.OTHER][0]
    female_led = {
        ent_idx for p in person_plans if p.gender == Person.Gender.FEMALE
        for ent_idx, role in p.roles if role == EnterpriseRole.Role.LEGAL_REPRESENTATIVE
    }

    pairs = []
    for idx, ent in enumerate(ent_plans):
        if rng.random() >= 0.72:
            continue
        chosen = []
        if ent.province in province_chamber and rng.random() < 0.75:
            chosen.append(province_chamber[ent.province])
        if ent.industry[:2] in industry_chamber and rng.random() < 0.45:
            chosen.append(industry_chamber[ent.industry[:2]])
        if ent.street in building_chamber and sections[ent.industry] in OFFICE_SECTIONS and rng.random() < 0.5:
            chosen.append(building_chamber[ent.street])
        if idx in female_led and rng.random() < 0.4:
            chosen.append(women_chamber)
        if ent.street is not None and (rng.random() < 0.6 or not chosen):
            chosen.append(street_chamber[ent.street])
        if not chosen:
            chosen.append(rng.choice(by_kind[Chamber.Kind.STREET] + by_kind[Chamber.Kind.NONLOCAL]))
        pairs.extend((c, idx) for c in chosen)

    # Every chamber has a few members, even in a small demo: top up with firms that fit it.
    def fits(c, ent):
        chamber = chambers[c]
        if chamber.kind in (Chamber.Kind.STREET, Chamber.Kind.BUILDING):
            return ent.street == chamber.street
        if chamber.kind == Chamber.Kind.INDUSTRY:
            return ent.industry[:2] in chamber.industries
        return ent.street is not None

    members = Counter(c for c, _ in pairs)
    taken = set(pairs)
    for c in range(len(chambers)):
        candidates = [i for i, e in enumerate(ent_plans) if (c, i) not in taken and fits(c, e)]
        if len(candidates) < 3 - members[c]:
            candidates = [i for i, e in enumerate(ent_plans) if (c, i) not in taken and e.street is not None]
        for idx in rng.sample(candidates, max(0, 3 - members[c])):
            taken.add((c, idx))
            pairs.append((c, idx))

    result = []
    for c, idx in sorted(pairs):
        chamber, ent = chambers[c], ent_plans[idx]
        start = max(date(2015, 1, 1), chamber.founded, ent.founded + timedelta(days=30))
        joined = _day_between(rng, start, AS_OF - timedelta(days=30))
        m = MembershipPlan(chamber=c, enterprise=idx, joined=joined)
        r = rng.random()
        if r < 0.04:
            m.status = ChamberMembership.Status.LEFT
            m.left = _day_between(rng, min(joined + timedelta(days=180), AS_OF), AS_OF)
        elif r < 0.06:
            m.status = ChamberMembership.Status.SUSPENDED
        result.append(m)
    # The first street chamber's first members stay active (its login is a demo entry point).
    for m in result:
        if m.chamber == 0:
            m.status, m.left = ChamberMembership.Status.ACTIVE, None
            break
    return result


def _chamber_officers(rng, names, chambers, memberships, ent_plans, person_plans):
    """会长 from a member firm's legal representative; 副会长/理事单位 among the other members."""
    size_rank = {"large": 0, "medium": 1, "small": 2, "micro": 3}
    people_of = defaultdict(list)
    for p in person_plans:
        for ent_idx, _role in p.roles:
            people_of[ent_idx].append(p)
    by_chamber = defaultdict(list)
    for m in memberships:
        if m.status == ChamberMembership.Status.ACTIVE:
            by_chamber[m.chamber].append(m)
    presidents = set()  # one person presides over one chamber at most
    for c, chamber in enumerate(chambers):
        active = sorted(by_chamber[c], key=lambda m: (size_rank[ent_plans[m.enterprise].size], rng.random()))
        if not active:
            chamber.president = names.person(rng.random() < 0.2)
            continue
        head, president = None, ""
        if chamber.kind == Chamber.Kind.OTHER:  # 女企业家商会: its 会长 is a woman leading a member firm
            head, president = next(((m, p.name) for m in active for p in people_of[m.enterprise]
                                    if p.gender == Person.Gender.FEMALE and p.name not in presidents), (None, ""))
        if head is None:
            head = next((m for m in active if ent_plans[m.enterprise].legal_representative not in presidents),
                        active[0])
            president = ent_plans[head.enterprise].legal_representative
        active.remove(head)
        active.insert(0, head)
        head.position = "会长单位"
        chamber.president = president
        presidents.add(chamber.president)
        vice = max(1, len(active) // 8)
        for m in active[1:1 + vice]:
            m.position = "副会长单位"
        for m in active[1 + vice:1 + vice + len(active) // 5]:
            m.position = "理事单位"


def _positions(rng, person_plans, ent_plans):
    """The current term's 主席/副主席/常委/执委 (~40 persons) and the 12 committee directors."""
    size_rank = {"large": 0, "medium": 1, "small": 2, "micro": 3}
    candidates = [i for i, p in enumerate(person_plans) if ent_plans[p.roles[0][0]].type_code != "individual"]
    candidates.sort(key=lambda i: size_rank[ent_plans[person_plans[i].roles[0][0]].size] + rng.random() * 2.5)
    chosen = candidates[:40]
    # The chairman: the most senior of the first few.
    head = min(chosen[:5], key=lambda i: person_plans[i].birth_date)
    chosen.remove(head)
    chosen.insert(0, head)
    titles = ([Position.Title.CHAIRMAN] + [Position.Title.VICE_CHAIRMAN] * 8 + [Position.Title.STANDING] * 13
              + [Position.Title.EXECUTIVE] * 18)
    positions = [(person, title, None) for person, title in zip(chosen, titles, strict=False)]
    directors_pool = chosen[1:22]  # 副主席 and 常委 direct the committees
    used = set()
    for c, (name, _duties) in enumerate(COMMITTEES):
        def fits(i, name=name):
            p = person_plans[i]
            if name == "妇女委员会":
                return p.gender == Person.Gender.FEMALE
            if name == "新生代委员会":
                return p.is_new_generation
            if name == "顾问委员会":
                return p.birth_date.year < 1966
            return True

        pick = next((i for i in directors_pool if i not in used and fits(i)), None)
        if pick is None:
            pick = next((i for i in directors_pool if i not in used), directors_pool[c % len(directors_pool)])
        used.add(pick)
        positions.append((pick, Position.Title.COMMITTEE_DIRECTOR, c))
    return positions


def _logins(chambers, memberships, ent_plans, departments, person_plans, positions):
    # ent1: a local private firm with complete data, an active member of the first (street) chamber.
    members = [m.enterprise for m in memberships if m.chamber == 0 and m.status == ChamberMembership.Status.ACTIVE]
    ent_index = next(
        (i for i in members if ent_plans[i].type_code == "private" and ent_plans[i].is_local
         and ent_plans[i].contact_name and ent_plans[i].employees is not None),
        members[0],
    )
    contact = ent_plans[ent_index].contact_name or ent_plans[ent_index].legal_representative
    chairman = next(person_plans[i].name for i, title, _c in positions if title == Position.Title.CHAIRMAN)
    return {
        "chamber1": 0,
        "chamber2": 1,
        "department": 0,
        "enterprise": ent_index,
        "display": {
            "leader": f"{chairman[0]}主席",
            "chamber1": f"{chambers[0].secretary_general[0]}秘书长",
            "chamber2": f"{chambers[1].secretary_general[0]}秘书长",
            "dept1": f"{departments[0][2][0]}科长",
            "ent1": f"{contact[0]}经理",
        },
    }


def _weighted_sample(rng, items, weights, k):
    """k of the items without replacement, each drawn with its weight (Efraimidis–Spirakis keys)."""
    keyed = sorted(((rng.random() ** (1 / w), n) for n, w in enumerate(weights) if w > 0), reverse=True)
    return [items[n] for _key, n in keyed[:k]]


def _join_date(rng, earliest, latest=AS_OF):
    """A joining day in [earliest, latest], the year drawn with MEMBER_JOIN_WEIGHTS."""
    years = [y for y in MEMBER_JOIN_WEIGHTS if earliest.year <= y <= latest.year]
    year = rng.choices(years, weights=[MEMBER_JOIN_WEIGHTS[y] for y in years])[0]
    return _day_between(rng, max(date(year, 1, 1), earliest), min(date(year, 12, 31), latest))


def _federation_members(rng, chambers, ent_plans, person_plans, memberships, positions, logins):
    """The district federation's enterprise, group and individual members, with departures and dues."""
    first = date(MEMBER_FIRST_YEAR, 1, 1)
    term_start = TERM["start"]
    officers = {person: BODY_POSITIONS[title] for person, title, _c in positions if title in BODY_POSITIONS}
    officer_firms = {ent for person in officers for ent, _role in person_plans[person].roles}
    login_firm = logins["enterprise"]

    # Enterprise members: a quota of 个体工商户, the rest weighted to local, traditional, larger firms.
    def can_join(e):
        return e.founded + timedelta(days=30) <= AS_OF

    n_firms = round(len(ent_plans) * MEMBER_ENTERPRISE_SHARE)
    self_employed = [i for i, e in enumerate(ent_plans) if e.type_code == "individual" and can_join(e)]
    companies = [i for i, e in enumerate(ent_plans) if e.type_code != "individual" and can_join(e)]
    size_weight = {"large": 2.5, "medium": 1.8, "small": 1.2, "micro": 1.0}
    firms = {login_firm} if can_join(ent_plans[login_firm]) else set()
    n_self = min(len(self_employed), round(n_firms * MEMBER_SELF_EMPLOYED_SHARE))
    firms.update(_weighted_sample(rng, self_employed, [1.0] * len(self_employed),
                                  max(0, n_self - sum(ent_plans[i].type_code == "individual" for i in firms))))
    weights = [(0 if i in firms else 1) * (1.3 if ent_plans[i].is_local else 1.0)
               * (1.0 if ent_plans[i].is_high_tech else 1.8) * size_weight[ent_plans[i].size]
               * (4.0 if i in officer_firms else 1.0) for i in companies]
    firms.update(_weighted_sample(rng, companies, weights, max(0, n_firms - len(firms))))

    # Individual members: every 主席/副主席/常委/执委 of the term, then persons holding a role in a firm,
    # above all the 法定代表人/董事长/总经理 of member firms.
    leading = {EnterpriseRole.Role.LEGAL_REPRESENTATIVE, EnterpriseRole.Role.CHAIRMAN,
               EnterpriseRole.Role.GENERAL_MANAGER}

    def person_weight(p):
        if not p.roles:
            return 0.2
        return (2.0 if any(role in leading for _e, role in p.roles) else 1.0) * (
            1.5 if any(ent in firms for ent, _role in p.roles) else 1.0)

    others = [i for i in range(len(person_plans)) if i not in officers]
    n_persons = max(len(officers), round(len(person_plans) * MEMBER_PERSON_SHARE))
    persons = sorted(officers) + sorted(_weighted_sample(
        rng, others, [person_weight(person_plans[i]) for i in others], n_persons - len(officers)))

    # Group members: chambers of the district, the two with demo logins among them.
    rest = list(range(2, len(chambers)))
    groups = [0, 1] + sorted(_weighted_sample(
        rng, rest, [1.0 + max(0, 2020 - chambers[c].founded.year) / 5 for c in rest], MEMBER_GROUPS - 2))

    members = []
    for i in sorted(firms):
        earliest = max(first, ent_plans[i].founded + timedelta(days=30))
        members.append(MemberPlan(kind=Membership.Kind.ENTERPRISE, enterprise=i, joined=_join_date(rng, earliest)))
    for i in persons:
        latest = term_start - timedelta(days=1) if i in officers else AS_OF  # members before the term began
        members.append(MemberPlan(kind=Membership.Kind.INDIVIDUAL, person=i, joined=_join_date(rng, first, latest),
                                  body_position=officers.get(i, Membership.BodyPosition.MEMBER)))
    for c in groups:
        earliest = max(first, chambers[c].founded + timedelta(days=60))
        members.append(MemberPlan(kind=Membership.Kind.GROUP, group=c, joined=_join_date(rng, earliest)))

    _member_departures(rng, members, ent_plans, memberships, login_firm)
    _member_dues(rng, members, ent_plans)

    # Member numbers in joining order: HX-<year joined>-<sequence in that year>.
    kind_order = {Membership.Kind.ENTERPRISE: 0, Membership.Kind.GROUP: 1, Membership.Kind.INDIVIDUAL: 2}
    members.sort(key=lambda m: (m.joined, kind_order[m.kind], m.enterprise or m.person or m.group or 0))
    sequence = Counter()
    for m in members:
        sequence[m.joined.year] += 1
        m.number = f"HX-{m.joined.year}-{sequence[m.joined.year]:04d}"
    return members


def _member_departures(rng, members, ent_plans, memberships, login_firm):
    """~8 % left (more likely the longer the membership), a few suspended; officers and groups stay."""
    chamber_rows = defaultdict(list)
    for cm in memberships:
        chamber_rows[cm.enterprise].append(cm)
    # Firms that hold a chamber office or a demo login are not wound up or moved away.
    settled = {login_firm} | {cm.enterprise for cm in memberships if cm.position}

    def may_leave(m):
        return (m.kind != Membership.Kind.GROUP and m.body_position == Membership.BodyPosition.MEMBER
                and m.enterprise != login_firm)

    mortal = [m for m in members if may_leave(m)]
    candidates = [m for m in mortal if (AS_OF - m.joined).days > 365]
    leaving = _weighted_sample(rng, candidates, [(AS_OF - m.joined).days - 365 for m in candidates],
                               round(len(mortal) * MEMBER_LEFT_SHARE))
    for m in leaving:
        reasons = MEMBER_LEAVE_REASONS[m.kind]
        reason = _weighted(rng, reasons)
        earliest = m.joined + timedelta(days=365)
        if reason == UNPAID:  # paid the joining year, then nothing for two full years
            earliest = max(earliest, date(m.joined.year + 3, 1, 1))
        elif m.kind == Membership.Kind.ENTERPRISE and reason in ENTERPRISE_ENDS:
            if m.enterprise in settled:
                earliest = AS_OF + timedelta(days=1)
            else:  # after it joined its chambers, which it leaves the same day
                earliest = max([earliest] + [cm.joined + timedelta(days=30) for cm in chamber_rows[m.enterprise]])
        if earliest > AS_OF:
            reason = reasons[0][0] if m.kind == Membership.Kind.INDIVIDUAL else "企业申请退会"
            earliest = m.joined + timedelta(days=365)
        m.status, m.left, m.left_reason = Membership.Status.LEFT, _day_between(rng, earliest, AS_OF), reason
        if m.kind == Membership.Kind.ENTERPRISE and reason in ENTERPRISE_ENDS:
            for cm in chamber_rows[m.enterprise]:
                if cm.left is None or cm.left > m.left:
                    cm.status, cm.left, cm.left_reason = ChamberMembership.Status.LEFT, m.left, reason

    staying = [m for m in mortal if m.left is None and (AS_OF - m.joined).days > 200]
    for m in rng.sample(staying, min(len(staying), round(len(mortal) * MEMBER_SUSPENDED_SHARE))):
        m.status = Membership.Status.SUSPENDED
        m.suspended_on = _day_between(rng, m.joined + timedelta(days=180), AS_OF)


def _dues_amount(m, ent_plans):
    if m.kind == Membership.Kind.GROUP:
        return DUES_GROUP
    if m.kind == Membership.Kind.INDIVIDUAL:
        return DUES_INDIVIDUAL
    return DUES_SELF_EMPLOYED if ent_plans[m.enterprise].type_code == "individual" else DUES_ENTERPRISE


def _member_dues(rng, members, ent_plans):
    """One payment per paid year, from the joining year to the last year the member was in good standing."""
    for m in members:
        amount = _dues_amount(m, ent_plans)
        if m.left is not None:
            last = m.left.year - (3 if m.left_reason == UNPAID else 1)
        elif m.suspended_on is not None:
            last = m.suspended_on.year - 1
        else:
            last = AS_OF.year
        missed = False
        for year in range(m.joined.year, last + 1):
            if year == m.joined.year:  # paid on joining
                paid = min(m.joined + timedelta(days=rng.randrange(31)), date(year, 12, 31), AS_OF)
            elif rng.random() < DUES_UNPAID_SHARE and (not missed or m.status != Membership.Status.ACTIVE):
                missed = True
                continue
            elif year == AS_OF.year:  # this year's dues: paid by AS_OF or not yet
                paid = date(year, 1, 2) + timedelta(days=rng.randrange((AS_OF - date(year, 1, 2)).days + 1))
            else:
                days = rng.randrange(180) if rng.random() < 0.8 else rng.randrange(180, 350)
                paid = date(year, 1, 2) + timedelta(days=days)
            missed = False
            m.dues.append((year, amount, paid))


def _chamber_departure_reasons(rng, memberships):
    """Every chamber membership that ended has a reason; those the firm's own end set are kept."""
    for cm in memberships:
        if cm.status == ChamberMembership.Status.LEFT and not cm.left_reason:
            cm.left_reason = _weighted(rng, CHAMBER_LEAVE_REASONS)


# --- Saving ----------------------------------------------------------------------------------------


@dataclass
class DemoResult:
    federation: Federation
    users: dict
    plan: DemoPlan


def build(enterprises=DEFAULT_ENTERPRISES, seed=DEMO_SEED, plan=None):
    """Generate (unless a plan is given) and save the demo district in one transaction."""
    from shanglian.accounts.services import create_user

    plan = plan or generate(enterprises=enterprises, seed=seed)
    with transaction.atomic():
        city = Federation.objects.create(level=Federation.Level.CITY, **CITY)
        district = Federation.objects.create(level=Federation.Level.COUNTY, parent=city, **DISTRICT)
        streets = [
            Street.objects.create(federation=district, name=name, code=f"{DISTRICT_REGION}{i + 1:03d}")
            for i, (name, _roads) in enumerate(STREETS)
        ]
        committees = [
            Committee.objects.create(federation=district, name=name, duties=duties, order=i + 1)
            for i, (name, duties) in enumerate(COMMITTEES)
        ]
        departments = [
            Department.objects.create(federation=district, name=name, short_name=short, contact=contact, phone=phone)
            for name, short, contact, phone in plan.departments
        ]
        chambers = []
        for c in plan.chambers:
            chamber = Chamber.objects.create(
                federation=district, name=c.name, kind=c.kind,
                street=streets[c.street] if c.street is not None else None,
                registration_number=c.registration_number, president=c.president,
                secretary_general=c.secretary_general, phone=c.phone, address=c.address, founded=c.founded,
            )
            if c.industries:
                chamber.industries.set(c.industries)
            chambers.append(chamber)
        Village.objects.bulk_create(
            Village(federation=district, name=name, county=county, region_code=code, is_target=target)
            for name, county, code, target in plan.villages
        )

        dicts = {(d.kind, d.code): d.pk for d in DictItem.objects.all()}
        ent_objs = Enterprise.objects.bulk_create(
            [
                Enterprise(
                    federation=district, name=e.name, name_initials=pinyin_initials(e.name), uscc=e.uscc,
                    enterprise_type_id=dicts[("enterprise_type", e.type_code)], industry_id=e.industry,
                    size=e.size, is_high_tech=e.is_high_tech, region_code=e.region_code,
                    street=streets[e.street] if e.street is not None else None, is_local=e.is_local,
                    founded=e.founded, employees=e.employees, registered_capital=e.registered_capital,
                    legal_representative=e.legal_representative, contact_name=e.contact_name,
                    contact_mobile=e.contact_mobile, address=e.address,
                )
                for e in plan.enterprises
            ],
            batch_size=500,
        )
        ent_ids = _ids(Enterprise, ent_objs, "uscc")
        person_objs = Person.objects.bulk_create(
            [
                Person(
                    federation=district, name=p.name, name_initials=pinyin_initials(p.name), gender=p.gender,
                    birth_year=p.birth_date.year, id_number=p.id_number, mobile=p.mobile,
                    political_affiliation_id=dicts[("political_affiliation", p.political)],
                    education_id=dicts[("education", p.education)], is_new_generation=p.is_new_generation,
                )
                for p in plan.persons
            ],
            batch_size=500,
        )
        person_ids = [obj.pk for obj in person_objs]
        if None in person_ids:  # a backend that does not return ids from bulk inserts
            person_ids = list(Person.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
        EnterpriseRole.objects.bulk_create(
            [
                EnterpriseRole(person_id=person_ids[i], enterprise_id=ent_ids[ent_idx], role=role)
                for i, p in enumerate(plan.persons)
                for ent_idx, role in p.roles
            ],
            batch_size=1000,
        )
        ChamberMembership.objects.bulk_create(
            [
                ChamberMembership(chamber=chambers[m.chamber], enterprise_id=ent_ids[m.enterprise], joined=m.joined,
                                  status=m.status, left=m.left, left_reason=m.left_reason, position=m.position)
                for m in plan.memberships
            ],
            batch_size=1000,
        )
        term = Term.objects.create(federation=district, **TERM)
        Position.objects.bulk_create(
            Position(term=term, person_id=person_ids[person], title=title,
                     committee=committees[committee] if committee is not None else None, start=term.start)
            for person, title, committee in plan.positions
        )

        _save_federation_members(plan, district, chambers, ent_ids, person_ids)

        units = {
            "federation": {"federation": district},
            "chamber1": {"federation": district, "chamber": chambers[plan.logins["chamber1"]]},
            "chamber2": {"federation": district, "chamber": chambers[plan.logins["chamber2"]]},
            "department": {"federation": district, "department": departments[plan.logins["department"]]},
            "enterprise": {"federation": district,
                           "enterprise": Enterprise.objects.get(pk=ent_ids[plan.logins["enterprise"]])},
        }
        users = {}
        for username, role, display, unit in DEMO_LOGINS:
            users[username] = create_user(
                actor=None, username=username, password=DEMO_PASSWORD, role=role,
                display_name=display or plan.logins["display"][username], audit=False, **units[unit],
            )
    return DemoResult(federation=district, users=users, plan=plan)


def _save_federation_members(plan, district, chambers, ent_ids, person_ids):
    objs = Membership.objects.bulk_create(
        [
            Membership(
                federation=district, kind=m.kind, number=m.number, joined=m.joined, status=m.status,
                suspended_on=m.suspended_on, left=m.left, left_reason=m.left_reason, body_position=m.body_position,
                enterprise_id=ent_ids[m.enterprise] if m.enterprise is not None else None,
                person_id=person_ids[m.person] if m.person is not None else None,
                group=chambers[m.group] if m.group is not None else None,
            )
            for m in plan.members
        ],
        batch_size=1000,
    )
    ids = _ids(Membership, objs, "number")
    DuesRecord.objects.bulk_create(
        [DuesRecord(membership_id=pk, year=year, amount=amount, paid_on=paid_on)
         for pk, m in zip(ids, plan.members, strict=True) for year, amount, paid_on in m.dues],
        batch_size=2000,
    )


def _ids(model, objs, key):
    """The primary keys of bulk-created objects (found again by a unique key where the backend does
    not return them). Also used by the appeals demo."""
    ids = [obj.pk for obj in objs]
    if None not in ids:
        return ids
    by_key = dict(model.objects.filter(**{f"{key}__in": [getattr(o, key) for o in objs]}).values_list(key, "pk"))
    return [by_key[getattr(o, key)] for o in objs]


# --- Reporting -------------------------------------------------------------------------------------


def counts():
    """What the summary prints: (label, count) in display order."""
    from shanglian.accounts.models import User

    memberships = ChamberMembership.objects.all()
    return [
        ("工商联", Federation.objects.count()),
        ("街道（镇）", Street.objects.count()),
        ("商会", Chamber.objects.count()),
        ("专门委员会", Committee.objects.count()),
        ("职能部门", Department.objects.count()),
        ("帮扶村", Village.objects.count()),
        ("企业", Enterprise.objects.count()),
        ("非公经济人士", Person.objects.count()),
        ("企业任职", EnterpriseRole.objects.count()),
        ("商会会员（在册）", memberships.filter(status=ChamberMembership.Status.ACTIVE).count()),
        ("商会会员（全部）", memberships.count()),
        ("届次职务", Position.objects.count()),
        *[(f"工商联{label}（在册）", Membership.objects.filter(kind=kind, status=Membership.Status.ACTIVE).count())
          for kind, label in Membership.Kind.choices],
        ("会费记录", DuesRecord.objects.count()),
        ("用户", User.objects.count()),
    ]


def login_rows():
    """(username, role label, unit, password) of each demo login, as it is in the database now."""
    from shanglian.accounts.models import User

    users = {u.username: u for u in User.objects.filter(username__in=[row[0] for row in DEMO_LOGINS])
             .select_related("federation", "chamber", "department", "enterprise")}
    rows = []
    for username, role, _display, _unit in DEMO_LOGINS:
        user = users.get(username)
        if user is None:
            unit = "（未创建）"
        elif user.chamber_id:
            unit = user.chamber.name
        elif user.department_id:
            unit = user.department.short_name or user.department.name
        elif user.enterprise_id:
            unit = user.enterprise.name
        elif user.federation_id:
            unit = user.federation.short_name or user.federation.name
        else:
            unit = ""
        rows.append((username, role.label, unit, DEMO_PASSWORD))
    return rows
