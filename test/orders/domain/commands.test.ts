import { parseCommand, parseHours, type Command } from '../../../src/orders/domain/commands.js';

const QUOTE_LINE = '- - - - - - - - - - - - - - -';

const cases: [string, Command | null][] = [
  // claim, with every way of writing the number
  ['接单 123456', { kind: 'claim', no: '123456' }],
  ['接单123456', { kind: 'claim', no: '123456' }],
  ['抢单 123', { kind: 'claim', no: '123' }],
  ['我来 4567', { kind: 'claim', no: '4567' }],
  ['我接 4567', { kind: 'claim', no: '4567' }],
  ['我来接 4567', { kind: 'claim', no: '4567' }],
  ['我来', { kind: 'claim', no: null }],
  ['接单', { kind: 'claim', no: null }],
  ['接单了', { kind: 'claim', no: null }],
  ['接单 #123456', { kind: 'claim', no: '123456' }],
  ['接单 ＃１２３４５６', { kind: 'claim', no: '123456' }],
  ['接单　１２３４５６', { kind: 'claim', no: '123456' }],
  ['抢单No.123', { kind: 'claim', no: '123' }],
  ['接单 no 123', { kind: 'claim', no: '123' }],
  ['接单 单号：4567', { kind: 'claim', no: '4567' }],
  ['接单，单号 4567', { kind: 'claim', no: '4567' }],
  ['接单 123456号', { kind: 'claim', no: '123456' }],
  ['  接单 123456  ', { kind: 'claim', no: '123456' }],
  ['接单 123456！', { kind: 'claim', no: '123456' }],
  // @mentions of the bot
  ['@邻里助手 接单 123456', { kind: 'claim', no: '123456' }],
  ['@bot\u2005接单123456', { kind: 'claim', no: '123456' }],
  ['@邻里助手\u2005@队长\u2005抢单 123', { kind: 'claim', no: '123' }],
  ['＠邻里助手　接单 123', { kind: 'claim', no: '123' }],
  ['@邻里助手', null],
  // quoted replies: the number comes from the quote when the reply has none
  [`「张三：【派单】家居维修 单号 123456 明天下午3点」\n${QUOTE_LINE}\n接单`, { kind: 'claim', no: '123456' }],
  [`「邻里助手：【新需求】#2468 助老陪伴 2026年6月4日 15:00」\n${QUOTE_LINE}\n我来`, { kind: 'claim', no: '2468' }],
  [`「邻里助手：助老陪伴 2026年6月4日 15:00，编号 802」\n${QUOTE_LINE}\n抢单`, { kind: 'claim', no: '802' }],
  [`「邻里助手：就医陪诊 802 人民医院」\n${QUOTE_LINE}\n@邻里助手 接单`, { kind: 'claim', no: '802' }],
  [`「张三：单号 123456」\n${QUOTE_LINE}\n接单 654321`, { kind: 'claim', no: '654321' }],
  ['「张三：单号 123456」\n接单', { kind: 'claim', no: '123456' }],
  [`「张三：没有编号的消息」\n${QUOTE_LINE}\n接单`, { kind: 'claim', no: null }],
  [`「张三：单号 123456」\n${QUOTE_LINE}\n完成 2小时`, { kind: 'complete', no: '123456', hours: 2 }],
  [`「张三：单号 123456」\n${QUOTE_LINE}\n5 很好`, { kind: 'rating', stars: 5, comment: '很好', complaint: false }],
  [`「张三：单号 123456」\n${QUOTE_LINE}\n家里水管漏水`, null],
  // release, arrive
  ['放弃 123', { kind: 'release', no: '123' }],
  ['退单', { kind: 'release', no: null }],
  ['放弃接单 123456', { kind: 'release', no: '123456' }],
  ['到达 123456', { kind: 'arrive', no: '123456' }],
  ['已到', { kind: 'arrive', no: null }],
  ['已到达 123', { kind: 'arrive', no: '123' }],
  ['到了', { kind: 'arrive', no: null }],
  ['我到了', { kind: 'arrive', no: null }],
  // complete with hours in many spellings
  ['完成', { kind: 'complete', no: null, hours: null }],
  ['完成了', { kind: 'complete', no: null, hours: null }],
  ['完成 123456', { kind: 'complete', no: '123456', hours: null }],
  ['完成 123456 1.5', { kind: 'complete', no: '123456', hours: 1.5 }],
  ['完成 123456 2小时', { kind: 'complete', no: '123456', hours: 2 }],
  ['完成123456 一个半小时', { kind: 'complete', no: '123456', hours: 1.5 }],
  ['完成 123456，两个小时', { kind: 'complete', no: '123456', hours: 2 }],
  ['完成 #123456 半小时', { kind: 'complete', no: '123456', hours: 0.5 }],
  ['完成 123456 90分钟', { kind: 'complete', no: '123456', hours: 1.5 }],
  ['完成 123456 1小时30分', { kind: 'complete', no: '123456', hours: 1.5 }],
  ['完成 2小时', { kind: 'complete', no: null, hours: 2 }],
  ['完成 2', { kind: 'complete', no: null, hours: 2 }],
  ['完成 120分钟', { kind: 'complete', no: null, hours: 2 }],
  ['完成 120', { kind: 'complete', no: '120', hours: null }],
  ['已完成 123 3h', { kind: 'complete', no: '123', hours: 3 }],
  ['完成 １２３４５６ １．５', { kind: 'complete', no: '123456', hours: 1.5 }],
  ['完成 123456 0', { kind: 'complete', no: '123456', hours: 0 }],
  ['完成 123456 谢谢', null],
  ['完成作业辅导需要人帮忙', null],
  // assign
  ['派单 123456 @王芳', { kind: 'assign', no: '123456', target: '王芳' }],
  ['派单 @王芳 123456', { kind: 'assign', no: '123456', target: '王芳' }],
  ['派单 123456 给 @王芳\u2005', { kind: 'assign', no: '123456', target: '王芳' }],
  ['@邻里助手 派单 123456 @王芳', { kind: 'assign', no: '123456', target: '王芳' }],
  ['派单123456', { kind: 'assign', no: '123456', target: null }],
  ['派单 @王芳', { kind: 'assign', no: null, target: '王芳' }],
  ['派单 123456 王芳', null],
  // cancel
  ['取消', { kind: 'cancel', no: null }],
  ['取消 123456', { kind: 'cancel', no: '123456' }],
  ['取消订单 123', { kind: 'cancel', no: '123' }],
  ['不要了', { kind: 'cancel', no: null }],
  ['不用了。', { kind: 'cancel', no: null }],
  ['取消明天的预约', null],
  // progress
  ['进度', { kind: 'progress' }],
  ['进度 123456', { kind: 'progress' }],
  ['我的单', { kind: 'progress' }],
  ['查询', { kind: 'progress' }],
  ['订单', { kind: 'progress' }],
  // help, register, yes and no belong to other features: not order commands
  ['帮助', null],
  ['注册志愿者', null],
  ['确认', null],
  ['不对', null],
  ['是不是可以明天来', null],
  ['好的，明天下午三点来修水管', null],
  // settling a dispute
  ['处理 123456 记时 已回访，属实', { kind: 'settle', no: '123456', approve: true, hours: null, note: '已回访,属实', noShow: false }],
  ['处理 123456 不记时 志愿者没来', { kind: 'settle', no: '123456', approve: false, hours: null, note: '志愿者没来', noShow: true }],
  ['处理 123456 记时 1.5小时 服务到位', { kind: 'settle', no: '123456', approve: true, hours: 1.5, note: '服务到位', noShow: false }],
  ['处理 123456 计时', { kind: 'settle', no: '123456', approve: true, hours: null, note: null, noShow: false }],
  ['处理 123456', { kind: 'settle', no: '123456', approve: null, hours: null, note: null, noShow: false }],
  ['处理一下楼道的垃圾', null],
  // ratings
  ['5', { kind: 'rating', stars: 5, comment: null, complaint: false }],
  ['1', { kind: 'rating', stars: 1, comment: null, complaint: false }],
  ['５', { kind: 'rating', stars: 5, comment: null, complaint: false }],
  ['5 很好', { kind: 'rating', stars: 5, comment: '很好', complaint: false }],
  ['5很好', { kind: 'rating', stars: 5, comment: '很好', complaint: false }],
  ['五星 谢谢', { kind: 'rating', stars: 5, comment: '谢谢', complaint: false }],
  ['5星好评', { kind: 'rating', stars: 5, comment: '好评', complaint: false }],
  ['3分', { kind: 'rating', stars: 3, comment: null, complaint: false }],
  ['三分 一般', { kind: 'rating', stars: 3, comment: '一般', complaint: false }],
  ['4颗星', { kind: 'rating', stars: 4, comment: null, complaint: false }],
  ['评价 4 挺好', { kind: 'rating', stars: 4, comment: '挺好', complaint: false }],
  ['★★★★', { kind: 'rating', stars: 4, comment: null, complaint: false }],
  ['1 没来', { kind: 'rating', stars: 1, comment: '没来', complaint: true }],
  ['2，态度差', { kind: 'rating', stars: 2, comment: '态度差', complaint: true }],
  ['4 水管还是没修好', { kind: 'rating', stars: 4, comment: '水管还是没修好', complaint: true }],
  ['3 等了一上午没人来，我要投诉', { kind: 'rating', stars: 3, comment: '等了一上午没人来,我要投诉', complaint: true }],
  ['4 很好，没来得及道谢', { kind: 'rating', stars: 4, comment: '很好,没来得及道谢', complaint: false }],
  // not commands
  ['301', null],
  ['123456', null],
  ['6', null],
  ['0', null],
  ['10分', null],
  ['1.5', null],
  ['4.5分', null],
  ['家里水管漏水', null],
  ['你好，我家水管漏了', null],
  ['5号楼水管漏了', null],
  ['3点来人修一下', null],
  ['2小时后能来吗', null],
  ['一个半小时', null],
  ['两分钟', null],
  ['我来说两句', null],
  ['我接不了', null],
  ['接单 1234567', null],
  ['接单 12', null],
  ['', null],
  ['   ', null],
];

describe('parseCommand', () => {
  it.each(cases)('%j → %j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('returns a fresh object each time, so callers cannot change the table', () => {
    const first = parseCommand('我的单') as { kind: string };
    first.kind = 'claim';
    expect(parseCommand('我的单')).toEqual({ kind: 'progress' });
  });
});

describe('parseHours', () => {
  it.each([
    ['1.5', 1.5],
    ['2小时', 2],
    ['2 h', 2],
    ['3个钟', 3],
    ['一个半小时', 1.5],
    ['1个半小时', 1.5],
    ['半小时', 0.5],
    ['两小时', 2],
    ['十二小时', 12],
    ['二十分钟', 1 / 3],
    ['九十分钟', 1.5],
    ['45分钟', 0.75],
    ['1小时30分钟', 1.5],
    ['abc', null],
    ['', null],
  ] as [string, number | null][])('%j → %j', (text, hours) => {
    expect(parseHours(text)).toBe(hours);
  });
});
