"""The township's organisation: 村社区, 人员, 领导小组, 帮扶小组, 小组成员 and the care groups' 小组会议."""

from pydantic import Field

from generator.contract.fields import Code, FilePlace, LongText, Name, Names, PastDate, Phone, Place, Text, Vocab
from generator.contract.row import GroupRef, Row, StaffRef, VillageRef, sheet_row
from generator.contract.vocab import GroupRole, LeaderRole, VillageType


@sheet_row
class Village(Row):
    """村社区: the villages and communities of the township."""

    name: FilePlace = Field(alias="名称", description="村或社区名称，如 幸福村、银水社区。不能重复。")
    kind: Vocab(VillageType, width=8) | None = Field(None, alias="类型", description="村 或 社区。")
    head: Name | None = Field(None, alias="负责人", description="支部书记或负责人姓名。")
    head_phone: Phone | None = Field(None, alias="负责人电话", description="负责人的电话。")


@sheet_row
class Staff(Row):
    """人员: everyone who serves in a care group or on the leadership group."""

    name: Name = Field(
        alias="姓名", description="姓名，不能重复；同名的人加后缀区分，如 王鹏（卫生院）。其他表按这里的姓名引用。"
    )
    unit: Text | None = Field(None, alias="单位", description="工作单位，如 卫生院、派出所、民政办、某某村。")
    title: Text | None = Field(None, alias="职务", description="职务，如 精防医生、社区民警、支部书记。")
    phone: Phone = Field(alias="手机号", description="手机号（11 位）或座机（带区号）。")


@sheet_row
class Leader(Row):
    """领导小组: the township's leadership group (综合管理小组)."""

    name: StaffRef = Field(alias="姓名", description="姓名，须在“人员”表中。")
    role: Vocab(LeaderRole) = Field(alias="小组职务", description="组长、副组长、成员 或 办公室。")
    duty: LongText | None = Field(None, alias="分工", description="分工，如 负责统筹协调。")


@sheet_row
class Group(Row):
    """帮扶小组: one care-and-support group per household or per village."""

    group_id: Code = Field(alias="小组编号", description="小组编号，如 G01；只用英文字母和数字，不能重复。")
    name: Place = Field(
        alias="小组名称", description="小组名称，如 幸福村关爱帮扶小组 或 某某户联合服务管理小组。"
    )
    village: VillageRef = Field(alias="所属村社区", description="小组所属的村社区，须在“村社区”表中。")
    leader: StaffRef = Field(alias="组长", description="组长姓名，须在“人员”表中。")
    founded: PastDate | None = Field(None, alias="成立日期", description="小组成立日期。")


@sheet_row
class GroupMember(Row):
    """小组成员: who serves in which group, in which role (the patient's guardian is added automatically)."""

    group_id: GroupRef = Field(alias="小组编号", description="小组编号，须在“帮扶小组”表中。")
    name: StaffRef = Field(alias="姓名", description="成员姓名，须在“人员”表中。")
    role: Vocab(GroupRole, width=14) = Field(alias="小组角色", description="成员在小组中的角色。")


@sheet_row
class Meeting(Row):
    """小组会议: care-group meetings."""

    group_id: GroupRef = Field(alias="小组编号", description="小组编号，须在“帮扶小组”表中。")
    held: PastDate = Field(alias="会议日期", description="会议日期。")
    attendees: Names | None = Field(None, alias="参会人员", description="参会人员，用 、或 ， 隔开。")
    content: LongText | None = Field(None, alias="内容", description="会议内容摘要。")
