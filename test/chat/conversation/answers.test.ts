import { readAnswer } from '../../../src/chat/conversation/answers';

test.each([
  ['确认', 'yes'],
  ['是', 'yes'],
  ['好的！', 'yes'],
  ['好的呀', 'yes'],
  ['OK', 'yes'],
  ['ｏｋ', 'yes'],
  ['@邻里助手 确认', 'yes'],
  ['不对', 'no'],
  ['否', 'no'],
  ['修改', 'no'],
  ['取消', 'cancel'],
  ['不要了。', 'cancel'],
  ['算了', 'cancel'],
  ['是不是可以明天来', null],
  ['好的，明天下午三点来修水管', null],
  ['取消 123456', null],
  ['', null],
])('%s → %s', (text, expected) => {
  expect(readAnswer(text)).toBe(expected);
});
