/** The simulator's 2.0.1 device model (B05-B07): per-item results of Get/SetVariables and the report bases. */
import { describe, expect, it } from 'vitest';
import { DeviceModel } from './device-model201.js';

function model(): DeviceModel {
  const m = new DeviceModel();
  m.add({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval', value: '300', mutability: 'ReadWrite', dataType: 'integer', unit: 's' });
  m.add({ component: 'TxCtrlr', variable: 'TxStartPoint', value: 'PowerPathClosed', mutability: 'ReadWrite', dataType: 'MemberList', valuesList: 'EVConnected,Authorized,PowerPathClosed' });
  m.add({ component: 'SecurityCtrlr', variable: 'BasicAuthPassword', value: 'secret-secret-16', mutability: 'WriteOnly', dataType: 'string' });
  m.add({ component: 'SecurityCtrlr', variable: 'Identity', value: 'CS-1', mutability: 'ReadOnly', dataType: 'string' });
  m.add({ component: 'EVSE', evseId: 1, variable: 'AvailabilityState', value: '', mutability: 'ReadOnly', dataType: 'OptionList', read: () => 'Occupied' });
  m.add({ component: 'OCPPCommCtrlr', variable: 'MessageAttempts', variableInstance: 'TransactionEvent', value: '3', mutability: 'ReadWrite', dataType: 'integer' });
  return m;
}
const ref = (name: string, variable: string, extra: Record<string, any> = {}) => ({ component: { name, ...(extra.evse ? { evse: extra.evse } : {}) }, variable: { name: variable, ...(extra.instance ? { instance: extra.instance } : {}) }, ...(extra.attributeType ? { attributeType: extra.attributeType } : {}) });

describe('GetVariables', () => {
  it.each([
    ['a value (names are case-insensitive)', ref('ocppcommctrlr', 'heartbeatinterval'), { attributeStatus: 'Accepted', attributeValue: '300' }],
    ['a computed value on an EVSE', ref('EVSE', 'AvailabilityState', { evse: { id: 1 } }), { attributeStatus: 'Accepted', attributeValue: 'Occupied' }],
    ['the EVSE component without its evse', ref('EVSE', 'AvailabilityState'), { attributeStatus: 'UnknownComponent' }],
    ['a variable instance', ref('OCPPCommCtrlr', 'MessageAttempts', { instance: 'TransactionEvent' }), { attributeStatus: 'Accepted', attributeValue: '3' }],
    ['the same variable without its instance', ref('OCPPCommCtrlr', 'MessageAttempts'), { attributeStatus: 'UnknownVariable' }],
    ['an unknown component', ref('Nope', 'X'), { attributeStatus: 'UnknownComponent' }],
    ['a write-only variable', ref('SecurityCtrlr', 'BasicAuthPassword'), { attributeStatus: 'Rejected' }],
    ['another attribute than Actual', ref('OCPPCommCtrlr', 'HeartbeatInterval', { attributeType: 'MaxSet' }), { attributeStatus: 'NotSupportedAttributeType' }],
  ])('%s', (_name, r, expected) => {
    const [result] = model().getVariables([r]);
    expect(result).toMatchObject({ component: r.component, variable: r.variable, ...expected });
    if (expected.attributeStatus !== 'Accepted') expect(result!.attributeValue).toBeUndefined();
  });
});

describe('SetVariables', () => {
  it.each([
    ['an integer', ref('OCPPCommCtrlr', 'HeartbeatInterval'), '60', 'Accepted'],
    ['not an integer', ref('OCPPCommCtrlr', 'HeartbeatInterval'), '1.5', 'Rejected'],
    ['members of the list', ref('TxCtrlr', 'TxStartPoint'), 'EVConnected,Authorized', 'Accepted'],
    ['a member not in the list', ref('TxCtrlr', 'TxStartPoint'), 'EVConnected,Teleport', 'Rejected'],
    ['a read-only variable', ref('SecurityCtrlr', 'Identity'), 'CS-2', 'Rejected'],
    ['a write-only variable', ref('SecurityCtrlr', 'BasicAuthPassword'), 'another-secret-16', 'Accepted'],
    ['an unknown variable', ref('TxCtrlr', 'Nope'), '1', 'UnknownVariable'],
  ])('%s', (_name, r, value, status) => {
    const m = model();
    let changed = 0;
    m.onChange = () => changed++;
    expect(m.setVariables([{ ...r, attributeValue: value }])[0]).toMatchObject({ attributeStatus: status });
    expect(changed).toBe(status === 'Accepted' ? 1 : 0);
    if (status === 'Accepted') expect(m.get(r.component.name, r.variable.name)).toBe(value);
  });
});

describe('GetBaseReport', () => {
  it('FullInventory lists all; ConfigurationInventory what can be set; SummaryInventory the availability; write-only values are never shown', () => {
    const names = (base: 'FullInventory' | 'ConfigurationInventory' | 'SummaryInventory') => model().report(base).map((r: any) => `${r.component.name}.${r.variable.name}`);
    expect(names('FullInventory')).toHaveLength(6);
    expect(names('ConfigurationInventory')).toEqual(['OCPPCommCtrlr.HeartbeatInterval', 'TxCtrlr.TxStartPoint', 'SecurityCtrlr.BasicAuthPassword', 'OCPPCommCtrlr.MessageAttempts']);
    expect(names('SummaryInventory')).toEqual(['EVSE.AvailabilityState']);
    const password = model().report('FullInventory').find((r: any) => r.variable.name === 'BasicAuthPassword') as any;
    expect(password.variableAttribute).toEqual([{ type: 'Actual', mutability: 'WriteOnly' }]);
    const evse = model().report('SummaryInventory')[0] as any;
    expect(evse).toEqual({ component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'AvailabilityState' }, variableAttribute: [{ type: 'Actual', value: 'Occupied', mutability: 'ReadOnly' }], variableCharacteristics: { dataType: 'OptionList', supportsMonitoring: false } });
  });
});
