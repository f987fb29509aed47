/** Phone, address, masking and normalisation helpers. */
import { extractAddress, extractPhone, maskPhone, normalizeText } from '../../../../src/orders/domain/intake/index.js';

describe('extractPhone', () => {
  test.each([
    ['我电话13812345678', '13812345678'],
    ['联系 138 1234 5678 谢谢', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['１３８１２３４５６７８', '13812345678'],
    ['+86 13812345678', '13812345678'],
    ['+8613912345678', '13912345678'],
    ['手机号是15912345678，地址3号楼', '15912345678'],
    ['座机：0631-5201234', '0631-5201234'],
    ['(0631)5201234', '0631-5201234'],
    ['0631 5201234', '0631-5201234'],
  ])('%s → %s', (text, phone) => {
    expect(extractPhone(text)).toBe(phone);
  });

  test.each(['没有号码', '12345678901', '3号楼2单元301', '明天下午3点'])('no phone in %s', (text) => {
    expect(extractPhone(text)).toBeNull();
  });
});

describe('extractAddress', () => {
  test.each([
    ['3号楼2单元301', '3', '2', '301', '3号楼2单元301'],
    ['5栋1单元502室', '5', '1', '502', '5号楼1单元502'],
    ['三号楼401', '3', null, '401', '3号楼401'],
    ['放到5号楼门口', '5', null, null, '5号楼'],
    ['住在3-2-301', '3', '2', '301', '3号楼2单元301'],
    ['幸福小区12号楼3单元1202', '12', '3', '1202', '12号楼3单元1202'],
    ['十号楼二单元三零一', '10', '2', '301', '10号楼2单元301'],
    ['七栋三单元', '7', '3', null, '7号楼3单元'],
    ['3号楼 2单元 301室', '3', '2', '301', '3号楼2单元301'],
    ['A座1201', 'A', null, '1201', 'A座1201'],
  ])('%s', (input, building, unit, room, text) => {
    expect(extractAddress(input)).toEqual({ building, unit, room, text });
  });

  test.each(['我住3楼', '明天下午3点', '帮我买菜', '电话13812345678'])('no address in %s', (text) => {
    expect(extractAddress(text)).toBeNull();
  });
});

describe('maskPhone', () => {
  test('mobile keeps the first 3 and last 4 digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138-1234-5678')).toBe('138****5678');
  });
  test('landline keeps the area code and last 4 digits', () => {
    expect(maskPhone('0631-5201234')).toBe('0631-***1234');
  });
  test('short or odd input never leaks the middle', () => {
    expect(maskPhone('1234')).toBe('****');
    expect(maskPhone('123456789')).toBe('123**6789');
  });
});

describe('normalizeText', () => {
  test('full-width to half-width, spaces collapsed, trimmed', () => {
    expect(normalizeText('  ＡＢＣ１２３：，\u3000 ｘ ')).toBe('ABC123:, x');
  });
});
