"""A deterministic synthetic workbook: invented people, valid ID checksums, a few cases planted for every list.

Nothing here comes from a real person: names are drawn from surname and given-name character lists, ID numbers
and phones are generated. The same (patients, seed) always gives the same workbook.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Callable

from generator.sample.histories import SAMPLE_AS_OF, Builder, assign_groups, make_patient, write_history
from generator.sample.people import People, villages_for
from generator.sample.planted import add_mess, plant_cases
from generator.sample.records import SETTINGS as RECORD_SETTINGS
from generator.sample.records import write_records
from generator.present.outpaths import refuse_overwrite
from generator.sample.template import WorkbookContent, default_content, write_workbook

TOWNSHIP, COUNTY = "青禾镇", "云岭县"
SLOW_PATIENTS = 1000  # from this many patients on, the sample takes long enough to say that it is being made


def sample_content(patients: int = 60, seed: int = 2026) -> WorkbookContent:  # noqa: C901
    """A whole synthetic workbook at SAMPLE_AS_OF: about patients/5 care groups, five years of history."""
    rng = random.Random(seed)
    b = Builder(patients, rng, People(rng))
    villages = villages_for(patients)
    heads = {}
    for v in villages:
        heads[v] = b.staff(v, "支部书记")
        b.add("村社区", 名称=v, 类型="社区" if v.endswith("社区") else "村", 负责人=heads[v], 负责人电话=b.people.phone())
    per = max(1, len(villages) // 8 + 1)
    doctors = [b.staff("卫生院", "精防医生") for _ in range(per + 1)]
    police = [b.staff("派出所", "社区民警") for _ in range(per)]
    civil = [b.staff("民政办", "民政干部") for _ in range(per)]
    rehab = [b.staff("残联", "康复协调员") for _ in range(per)]
    head, deputy, office = b.staff("乡镇政府", "镇长"), b.staff("乡镇政府", "政法委员"), b.staff("平安办", "综治专干")
    for name, role, duty in ((head, "组长", "全面负责"), (deputy, "副组长", "统筹协调"), (doctors[0], "成员", "诊断评估与随访"),
                             (police[0], "成员", "应急处置与查找"), (civil[0], "成员", "救助帮扶"), (office, "办公室", "日常工作")):
        b.add("领导小组", 姓名=name, 小组职务=role, 分工=duty)
    plist = [make_patient(b, i, villages) for i in range(patients)]
    assign_groups(b, plist, villages, heads, doctors, police, civil, rehab)
    for p in plist:
        write_history(b, p)
    plant_cases(b, plist)
    write_records(b, plist, SAMPLE_AS_OF)
    add_mess(b, plist)
    content = default_content()
    content.settings |= {"乡镇名称": TOWNSHIP, "所属区县": COUNTY, "统计截止日期": SAMPLE_AS_OF,
                         "常住人口": round(patients / 0.0045), "随访最少人数": 3, "以奖代补年度金额": 2000} | RECORD_SETTINGS
    content.rows |= b.rows
    content.extra_columns = {"随访记录": ["核对情况"]}
    return content


def write_sample(path: Path, patients: int, seed: int, force: bool, progress: Callable[[str], None]) -> str:
    """Write the sample workbook to path (ExportRefused when a file is there and force is not given); say how many
    rows each sheet got."""
    refuse_overwrite(path, force)
    if patients >= SLOW_PATIENTS:
        progress(f"正在生成 {patients} 名患者的示例台账……")
    content = sample_content(patients=patients, seed=seed)
    write_workbook(path, content)
    counts = "，".join(f"{name} {len(rows)} 行" for name, rows in content.rows.items() if rows)
    return f"已生成示例台账：{path}（{counts}）"
