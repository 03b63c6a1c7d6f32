// The rubric editor's fields in words an admin reads: a validation error's
// path (`items[2].max`, `phrases.greeting[0]`) as the zh-CN prefix of the
// message, e.g. “第3个评分项的分值：”. The path itself goes in `error.field`,
// so the editor can also mark the input.

const ITEM_FIELDS_ZH: Record<string, string> = {
  id: '编号',
  name_zh: '名称',
  max: '分值',
  description_zh: '说明',
};

const TOP_FIELDS_ZH: Record<string, string> = {
  version: '版本号',
  items: '评分项',
  phrases: '话术词表',
  jargon: '专业术语表',
  long_reply_chars: '长回复字数',
  clarity_deduction_percent: '表达扣分比例',
  compliance_warn_deduction_percent: '合规提醒扣分比例',
  rubric: '评分表',
  yaml: '评分表',
};

export function rubricFieldZh(field: string): string {
  const item = /^items\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (item !== null) {
    const n = Number(item[1]) + 1;
    const part = item[2] === undefined ? undefined : ITEM_FIELDS_ZH[item[2]];
    return `第${n}个评分项${part === undefined ? '' : `的${part}`}：`;
  }
  const phrase = /^phrases\.(\w+)(?:\[(\d+)\])?$/.exec(field);
  if (phrase !== null)
    return `话术词表“${phrase[1]}”${phrase[2] === undefined ? '' : `第${Number(phrase[2]) + 1}条`}：`;
  const jargon = /^jargon\[(\d+)\]$/.exec(field);
  if (jargon !== null) return `专业术语表第${Number(jargon[1]) + 1}条：`;
  const top = TOP_FIELDS_ZH[field];
  return top === undefined ? `${field}：` : `${top}：`;
}
