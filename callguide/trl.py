"""The 13 technology readiness levels of 附件2 (技术成熟度等级划分): name, criterion, evidence."""

from __future__ import annotations

from pydantic import BaseModel

TRL_MIN, TRL_MAX = 1, 13


class TrlLevel(BaseModel):
    level: int
    name: str
    criterion: str
    evidence: str


TRL_LEVELS: tuple[TrlLevel, ...] = tuple(
    TrlLevel(level=i + 1, name=n, criterion=c, evidence=e)
    for i, (n, c, e) in enumerate(
        [
            (
                "报告级",
                "发现新现象、新问题、新需求并提出报告（问题导向/技术推动/需求牵引＋灵感创意）",
                "调研报告、需求报告、产业发展、市场前景等分析报告等。",
            ),
            ("方案级", "提出了满足需求或解决问题的技术方案", "研究方案、实施方案等"),
            ("仿真级", "核心技术概念模型仿真验证成功", "虚拟或实物仿真概念模型等"),
            ("功能级", "实验室内关键功能指标测试达到预期目标", "实验室、实物功能模型等"),
            ("初样级", "功能样品、图纸＋工艺设计、测试通过", "提出功能测试的指标、测试报告等"),
            ("正样级", "功能样机演示测试合格、工艺验证可行", "提出性能测试指标、测试报告等"),
            ("环境级", "工程样机系统运行、例行环境试验合格", "现场实验或例行试验报告等"),
            ("产品级", "小批试产合格、生产条件完备、工艺成熟", "可以交付使用的产品等"),
            ("系统级", "实现大批量商业化生产，产品质量合格", "产品第一次实际应用等"),
            ("销售级", "取得第一笔销售收入，销量≥盈亏平衡点数量的30％", "合同、发票等"),
            ("盈亏级", "项目年度总收益-项目年度运营成本≥0，开始年度盈利", "合同、发票、收款凭证等"),
            ("利润级", "项目累计总收益≥项目全部累计总投入的30％到50%", "合同、发票、财报等"),
            (
                "回报级",
                "项目累计总收益-项目全部累计总投入（研发投入+生产投入+运营投入）≥0",
                "合同、发票、财报、统计等",
            ),
        ]
    )
)


# The English names of the levels (the English pages and the open data)
TRL_NAMES_EN: tuple[str, ...] = (
    "Report",
    "Scheme",
    "Simulation",
    "Function",
    "Initial prototype",
    "Working prototype",
    "Environment",
    "Product",
    "System",
    "Sales",
    "Break-even",
    "Profit",
    "Return",
)


def trl_name(level: int) -> str:
    return TRL_LEVELS[level - 1].name


def trl_name_en(level: int) -> str:
    return TRL_NAMES_EN[level - 1]
