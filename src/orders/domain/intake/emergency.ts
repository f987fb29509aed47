/**
 * Emergency detection. Recall comes first: any unguarded hit makes the text an emergency.
 * Guards only remove hits that are clearly not happening now: prevention (防走失), hypotheticals
 * (担心摔倒), the past (以前摔倒过), aftermath (中风后康复), teaching (急救知识), negation (没摔倒),
 * devices (手机没反应) and chronic symptoms (经常胸闷). Present markers (刚才/突然/救命…) cancel
 * the soft guards.
 */
import { clauseBounds } from '../../../kernel/text.js';

type Guard = 'neg' | 'hypo' | 'past' | 'edu' | 'device' | 'chronic' | 'after' | 'smoke' | 'legal' | 'school' | 'item' | 'away' | 'pet' | 'figure' | 'fine' | 'ask';

interface Rule {
  re: RegExp;
  guards: Guard[];
}

const STD: Guard[] = ['neg', 'hypo', 'past', 'edu'];
const FAMILY =
  '(?:老人|老年人|孩子|小孩|儿子|女儿|爸|妈|爷爷|奶奶|外公|外婆|姥姥|姥爷|老伴|老头|老太|孙子|孙女|外孙|娃|宝宝|老爷子|老太太|大爷|大妈|大娘|家人)';
const PERSON =
  '(?:老人|老年人|孩子|小孩|儿子|女儿|爸|妈|爷爷|奶奶|外公|外婆|姥姥|姥爷|老伴|老头|老太|孙子|孙女|外孙|娃|宝宝|老爷子|老太太|大爷|大妈|大娘|家人|邻居|他|她|人)';

function r(source: string, extra: Guard[] = []): Rule {
  return { re: new RegExp(source, 'g'), guards: [...STD, ...extra] };
}

/** A missing person stays missing whatever day it started: no past-tense guard. */
function missing(source: string, extra: Guard[] = []): Rule {
  return { re: new RegExp(source, 'g'), guards: ['neg', 'hypo', 'edu', ...extra] };
}

const RULES: Rule[] = [
  // Falls and people on the floor.
  r('(?:摔|跌|滑|绊|栽)(?:倒|到了|了一?跤|了个跟头|跤|伤|断|破|在地|地上|到地|下楼|下床|下来|下去)|踩空', ['after', 'device', 'legal', 'fine']),
  r('摔了(?!一?下?(?:手机|碗|杯|盘))', ['after', 'device', 'fine']),
  r('(?:倒|躺|趴|坐|摔)在?地(?:上|下)?(?:起不来|动不了|不起)|倒在地|倒地(?!铁)|(?:晕|昏|倒)在.{0,4}(?:路边|地上|路上|门口|楼道|楼梯|卫生间|厕所|浴室|家里|床边|马路|街上|院子|小区)|躺在地上|躺地上|趴在地上|倒下了|晕倒|昏倒|晕到|昏到'),
  r('(?<!早上|早晨|早起|早上老是)(?:起不来|爬不起来)(?!床)'),
  r(`${PERSON}.{0,4}(?:(?<![走搬拿扛拎提跑爬抬推咬背挪洗拖擦干做弄转])不动了|一动不动|动不了了|没动静了|没知觉)`, ['device']),
  r('被.{0,4}撞(?!见|到过)|撞倒|车祸|(?:摔|跌|掉|落|栽)(?:进|入|到)?.{0,2}(?:井|坑|沟|河|湖|海|池|塘)里?', ['after', 'legal']),
  r('滚下来|滚下楼|滚下去|从.{0,6}(?:摔|掉|跌|滚|栽)下(?:来|去)', ['after', 'device']),
  r('骨折了|摔骨折|磕破|撞破头|头破了|砸伤|砸到人|坠楼|坠落|高空坠物|掉下去', ['after', 'device']),
  // Loss of consciousness, breathing, heart.
  r('晕过去|昏过去|晕厥|昏厥|昏迷|休克|不省人事|人事不省|不醒人事|失去意识|没有?意识|意识不清|神志不清|翻白眼|口吐白沫'),
  r('(?:叫|喊|拍|推).{0,4}不(?:醒|应|答应)|醒不过来|没(?:有)?反应', ['device']),
  r('(?<!头|有点|车|晕|搞|绕|弄|看|听|转)晕了', ['device']),
  r('没(?:有|了)?呼吸|不喘气|(?<!罐|车|胎|煤气|燃气|瓶|球|气)没气了|断气|没(?:有)?心跳|心跳停|心脏骤停|猝死|快不行了|人不行了|嘴唇发紫|脸(?:都|色)?发?紫', ['device']),
  r('心脏病.{0,2}(?:犯|发作|突发|发了)|(?:哮喘|癫痫|老毛病|心脏病|高血压|低血糖)(?:又)?(?:犯了|发作)|犯病了|发病了'),
  r('中风|脑梗|脑溢血|脑出血|脑卒中|心梗|心肌梗|心绞痛|癫痫发作', ['after']),
  r('(?:胸口|心口)(?:疼|痛|闷|憋|绞)|胸痛|胸闷|喘不(?:上|过)来?气|喘不动|上不来气|透不过气|呼吸困难|呼吸急促|憋得喘|窒息', ['chronic', 'figure']),
  r('噎住|噎着|卡(?:住)?(?:了)?喉咙|卡在喉咙|鱼刺卡|(?:吞|咽)(?:下|进)?了?.{0,3}(?:硬币|电池|纽扣|磁铁|异物|钉|假牙|刀片|针|玻璃)|(?:硬币|电池|纽扣|磁铁|异物|钉子|药片|果冻|花生|枣核|骨头).{0,4}(?:吞|咽|卡|噎)|吞(?:进去|下去)了'),
  r('抽搐|抽风|羊角风|嘴歪|口眼歪斜|口角歪|半身(?:麻|不能动|动不了|没知觉)|半边.{0,3}(?:动不了|没知觉|不能动|麻)|说话不清|口齿不清|舌头发硬|不认人了|说话含糊|口齿含糊|吐字不清|(?:一侧|一边|半边|左边|右边|左侧|右侧).{0,4}(?:不能动|动不了|麻木|没力气|没知觉)|手脚.{0,2}(?:不能动了|动不了了)', ['chronic']),
  r('(?<!腿|脚|小腿)抽筋|说不出话|不会说话了', ['chronic']),
  r('(?:突然|忽然|一下子)(?:间)?.{0,6}(?:倒|晕|不动|说不出|不会说|动不了|不认人|歪|抽|喘|昏|不省)', ['device']),
  // Bleeding and injuries.
  r('(?<!牙龈|牙|痔疮)(?:出血|流血)|大出血|血流不止|止不住血|血止不住|血.{0,2}(?:止不住|流了一地|直流|不停)|吐血|咯血|满脸是血|一身血|头破血流|伤口很深|流了?.{0,3}血|(?:好多|很多|一地|全是|满地|一摊|一身)血', ['chronic']),
  r('(?:割|砍|刺|烫|烧|咬|摔|撞)伤|受伤|受了伤|中暑|被蛇咬|毒蛇', ['after', 'legal']),
  // Fire, smoke, explosions.
  r('(?<!不|没)着(?:了)?大?火|(?:家|屋|房子?|楼|厨房|车|锅|油|灶|炉|衣服|被子|窗帘|电线|插座|沙发|床|柜)(?:里|上)?的?油?着了|起火|失火|火灾|烧起来|烧着了|火烧|冒烟|冒黑烟|浓烟|电火花|火花|火星|火苗|明火|火势|爆炸'),
  r('烟味|焦味|糊味|烧焦|(?<!油)(?:全是烟|都是烟|好多烟|很多烟|烟很大|烟好大|一股烟)', ['smoke']),
  r('(?:忘|没)关.{0,2}(?:火|煤气|燃气|天然气|液化气)'),
  // Gas.
  r('(?:煤气|燃气|天然气|液化气|管道气).{0,6}(?:泄|漏|味|中毒|熏)|(?:泄漏|泄露|漏).{0,3}(?:煤气|燃气|天然气|液化气)|闻到.{0,6}(?:煤气|燃气|天然气|臭鸡蛋)|一氧化碳|熏倒|臭鸡蛋味'),
  r('(?<!轮|车|窗|球|垫|胎)漏气', ['device']),
  r('中毒', ['device']),
  // Trapped.
  r('被困|困在|困住|被关在|(?:关|卡|锁)在.{0,3}电梯|电梯.{0,6}(?:突然|忽然).{0,4}(?:停|坠|掉|卡)|电梯.{0,4}(?:里|中|内).{0,6}(?:困|关|出不来|卡|人)|电梯(?:困人|关人|卡人|吃人)'),
  r('(?:反锁|锁|卡|困)在(?:了)?[^外]{0,3}(?:里|屋|家|房间|厕所|卫生间|阳台|浴室|车)', ['device']),
  r('(?:电梯|厕所|卫生间|浴室|屋|房间|阳台|井|洞|坑|被|卡|困).{0,6}出不来'),
  r('(?:头|手|脚|腿|胳膊|身子|孩子|人).{0,3}卡在|掉进.{0,3}(?:井|坑|沟|洞|河|水|湖|海)', ['device']),
  // Missing people.
  missing('走失|走丢|失踪|失联|迷路|找不到回家|不认识回家|认不得回家|找不到家|人不见了', ['chronic', 'pet', 'after']),
  missing(`${PERSON}.{0,10}(?:不见了|丢了|找不到了)`, ['item', 'away']),
  missing('(?:出去|出门|走出去|跑出去|离家|溜出去).{0,12}(?:找不到了|找不到人|没回|不见了|没影|联系不上|打不通|失联)', ['item', 'away']),
  missing(`${PERSON}.{0,14}(?:没回来|没回家|还没回|未归|失联)`, ['away']),
  missing(`${FAMILY}.{0,14}(?:联系不上|打不通|一直不接|电话不接)`, ['away']),
  missing('到现在.{0,4}(?:没回|不见|联系不上|找不到|没消息|没音信|打不通)', ['away']),
  missing('找不到人(?:了|啦|$|[,，。!！\\s])'),
  r('(?:独居|一个人住|一人住).{0,12}(?:没人应|联系不上|打不通)|(?:好几天|几天|[一两三四五六七]天|一整天|好久)(?:都|了|也)?(?:没出门|没见(?:人|到)|没开门|没动静|没露面)|敲门.{0,4}(?:没人应|不应|没反应|没动静)'),
  // Water and electricity.
  r('溺水|落水|掉水里|掉进水|掉河里|掉湖里|掉海里|淹着了|呛水|触电|电到了|被电(?:到|着|击|了)|电着了|电击', ['device']),
  // Violence, crime, self-harm.
  r('打架|(?<!老|爱|总|喜欢|会)打人|持刀|拿刀|砍人|捅人|抢劫|小偷|入室|闯进|撬门|撬锁|行凶|杀人|绑架|(?:正在|又在|还在)(?:打|家暴)|被打(?!扰|针|疫苗|折|卡|包|印|听)', ['legal', 'school', 'chronic']),
  r('(?:楼顶|天台|窗台|阳台|桥上|河边|窗户).{0,6}跳(?!舞|绳|广场|操|远|高|水)|要跳下去|往下跳|(?:吃|喝|吞|误服|误食)了?.{0,4}(?:老鼠药|耗子药|敌敌畏|百草枯|农药|洗衣液|消毒液|漂白|洗洁精|杀虫剂|清洁剂)|自杀|跳楼|跳河|跳江|跳湖|轻生|割腕|寻短见|寻死|上吊|喝农药|吞药|吃了(?:很多|一瓶|好多)?安眠药|吃错药|误服|误食'),
  // Calls for help and disasters.
  r('救命|救救|快来人|来人啊|来人呐|快来救|求救|抢救|紧急求助|出事了|出大事|出人命|不得了了|sos'),
  r('救护车', ['ask']),
  r('急救(?!箱|包|知识|培训|课|站|常识|技能|方法|措施|证)', ['ask']),
  { re: /(?:燃气|煤气|天然气|烟雾|烟感)报警器?.{0,4}(?:响|叫|报警|鸣)/g, guards: ['neg', 'hypo'] },
  r('(?:打|拨|叫|喊|call)(?:个|了)?(?:110|119|120|999)|(?:110|119|120)(?:急救|救护)', ['ask']),
  r('报警(?!器)', ['legal']),
  r('地震|洪水|泥石流|山体滑坡|(?:房子|墙|楼|屋顶|阳台|天花板|顶棚|棚子|楼梯).{0,3}(?:塌|倒塌|坍塌)'),
];

const PRESENT = /刚才|刚刚|现在|正在|突然|突发|快来|快点|赶紧|救命|救救|马上|立刻|已经|了$/;
const LUCKY = /(?:差点|差一点|险些|幸好|还好|好在|幸亏)[^，,。]{0,4}$/;
const HYPO_SOFT = /(?:怕|担心|害怕|万一|如果|要是|假如|一旦|容易|小心|会不会|以免|是否会)[^，,。]{0,5}$/;
const PREVENT = /(?:防|预防|防止|避免|以防|防范|提防|谨防)[^，,。]{0,3}$/;
const PAST = /以前|之前|昨天|昨晚|昨日|前天|上周|上星期|上礼拜|去年|前年|上次|上回|曾经|几年前|年前|那年|小时候|年轻时|上个月|前几天|前些天|前阵子|前段时间|早年|当年|那会儿/;
const EDU = /知识|讲座|培训|演练|演习|课程|课堂|上课|科普|宣传|常识|技能|手册|想学|学学|学一下|学习|学会|教(?!室|学楼|堂)|怎么用|怎么打|怎么拨|灭火器|报警器|急救包|急救箱|应急包|隐患|防范|安全检查/;
const DEVICE = /手机|电脑|电视|遥控|屏幕|机器|软件|微信|app|按钮|按了|点了|插|开关|灯|网|钥匙|钱包|身份证|银行卡|快递|东西|包裹|文件|照片|图|声音|信号|罐|瓶|胎|灶|打印|充电|空调|冰箱|洗衣机|热水器|碗|杯|盘|鞋|衣服|伞|门铃|电梯按/;
const ITEM = /钥匙|钱包|身份证|卡|快递|包裹|文件|东西|证件|猫|狗|宠物|手机|钱|伞|衣服|鞋|票|包|车|存折|戒指|项链|眼镜/;
const CHRONIC = /经常|老是|总是|时常|偶尔|有时|常常|长期|时不时|反复|每次|每天|天天|一到|牙龈|痔疮|月经|例假|多年|好几年|(?:中风|脑梗|脑出血|脑溢血|手术|骨折|车祸|生病|病)(?:后|以后|之后)/;
const AFTER_NEXT = /^(?:后|以后|之后|过|多年|康复|后遗症|患者|病人|史|偏瘫|复查|检查|看病|拿药|开药|住院|出院|手术|的老人|恢复|留下|术后|好几年|几年|病史)/;
const AFTER_PREV = /(?:有|患|患有|得过|得了|因为|因)$/;
const CHRONIC_TEXT = /康复|训练|从小|天生|先天|矫正|病史|后遗症|多年|好几年/;
const PET = /狗|猫|宠物|鸟|鹦鹉|兔|鸡|鸭/;
const FIGURE = /压抑|心里|郁闷|窒息感|压力|压得|累得|忙得|烦得|工作|学习|考试|作业|生活|房贷|债|被子/;
const FINE = /没什么事|没事了|没大碍|不要紧|没受伤|没伤着|没摔坏|没啥事/;
const ASK = /费用|报销|多少钱|收费|电话多少|号码是|号码多少|怎么叫|怎么打|是多少/;
const SMOKE = /抽烟|吸烟|二手烟|烟民|香烟|烟头/;
const LEGAL = /起诉|律师|咨询|维权|赔偿|告他|法律|仲裁|法院|调解|家暴史|骗|投诉|赔/;
const SCHOOL = /同学|学校|老师|班上|教育/;
const AWAY = /外地|打工|过年|工作|上班|出差|国外|常年|好久|很久|多年|几年|探亲|老家|学校|住校/;

/** One emergency phrase found in the text. */
export interface EmergencyHit {
  text: string;
  index: number;
}

/** Is this match cancelled by its context? */
function guarded(text: string, index: number, match: string, guards: Guard[]): boolean {
  const [cs, ce] = clauseBounds(text, index);
  const clause = text.slice(cs, ce);
  const before = text.slice(Math.max(cs, index - 8), index);
  const after = text.slice(index + match.length, Math.min(ce, index + match.length + 6));
  const present = PRESENT.test(clause) || /^(?:了|啦|啊|呀|!)/.test(after);
  for (const g of guards) {
    if (g === 'neg' && /(?:没|没有|未|不|别|不会|不要)$/.test(before) && !/^(?:没|不)/.test(match)) return true;
    if (g === 'hypo') {
      if (PREVENT.test(before) || LUCKY.test(before)) return true;
      if (HYPO_SOFT.test(before) && !present) return true;
    }
    if (g === 'past' && (PAST.test(clause) || /^过/.test(after)) && !/刚才|刚刚|现在|正在|突然|救|快来/.test(clause)) return true;
    if (g === 'edu' && EDU.test(clause) && !present) return true;
    if (g === 'device' && DEVICE.test(before.slice(-6) + match)) return true;
    if (g === 'chronic' && (CHRONIC.test(clause) || CHRONIC_TEXT.test(text)) && !/刚才|刚刚|现在|正在|突然|救|快来/.test(clause)) return true;
    if (g === 'after' && (AFTER_NEXT.test(after) || AFTER_PREV.test(before)) && !/刚才|刚刚|突然|突发|救|快来/.test(clause)) return true;
    if (g === 'smoke' && SMOKE.test(text)) return true;
    if (g === 'legal' && LEGAL.test(text)) return true;
    if (g === 'school' && SCHOOL.test(text)) return true;
    if (g === 'away' && AWAY.test(match)) return true;
    if (g === 'item' && ITEM.test(match)) return true;
    if (g === 'fine' && FINE.test(text)) return true;
    if (g === 'ask' && ASK.test(text)) return true;
    if (g === 'pet' && PET.test(before.slice(-4))) return true;
    if (g === 'figure' && FIGURE.test(text) && !present) return true;
  }
  return false;
}

/** Unguarded emergency hits in lower-cased, normalised text (empty when not an emergency). */
export function emergencyHits(text: string): EmergencyHit[] {
  const hits: EmergencyHit[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (const m of text.matchAll(rule.re)) {
      const index = m.index ?? 0;
      if (!guarded(text, index, m[0], rule.guards)) hits.push({ text: m[0], index });
    }
  }
  return hits;
}
