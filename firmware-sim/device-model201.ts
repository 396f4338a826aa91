/**
 * A small OCPP 2.0.1 device model for the simulated station (2.0.1 Part 2 block B and the controller
 * components of the appendix): components with variables, mutability and data types, read by GetVariables,
 * written by SetVariables and listed by GetBaseReport (NotifyReport pages). Values are strings, as on the wire;
 * a variable may compute its value (AvailabilityState, list entries). Names match case-insensitively (B06).
 */

export type Mutability = 'ReadOnly' | 'ReadWrite' | 'WriteOnly';
export type DataType = 'string' | 'decimal' | 'integer' | 'dateTime' | 'boolean' | 'OptionList' | 'SequenceList' | 'MemberList';

export interface Variable {
  component: string;
  componentInstance?: string;
  evseId?: number;
  connectorId?: number;
  variable: string;
  variableInstance?: string;
  value: string;
  mutability: Mutability;
  dataType: DataType;
  unit?: string;
  valuesList?: string;
  /** Computes the value instead of `value` (read-only state). */
  read?: () => string;
}

/** A ComponentType + VariableType pair as it comes in Get/SetVariables. */
export interface WireRef {
  component: { name: string; instance?: string; evse?: { id: number; connectorId?: number } };
  variable: { name: string; instance?: string };
  attributeType?: string;
}

const same = (a: string | undefined, b: string | undefined) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

export function wireComponent(v: Variable): WireRef['component'] {
  return {
    name: v.component, ...(v.componentInstance ? { instance: v.componentInstance } : {}),
    ...(v.evseId !== undefined ? { evse: { id: v.evseId, ...(v.connectorId !== undefined ? { connectorId: v.connectorId } : {}) } } : {}),
  };
}

export function wireVariable(v: Variable): WireRef['variable'] {
  return { name: v.variable, ...(v.variableInstance ? { instance: v.variableInstance } : {}) };
}

function validValue(v: Variable, value: string): boolean {
  switch (v.dataType) {
    case 'integer': return /^-?\d+$/.test(value);
    case 'decimal': return value.trim() !== '' && Number.isFinite(Number(value));
    case 'boolean': return value === 'true' || value === 'false';
    case 'OptionList': return (v.valuesList ?? '').split(',').includes(value);
    case 'MemberList': return value.split(',').every((x) => (v.valuesList ?? '').split(',').includes(x));
    default: return value.length <= 2500;
  }
}

export class DeviceModel {
  readonly variables: Variable[] = [];
  /** Called after a successful SetVariables of one variable (e.g. to restart the heartbeat timer). */
  onChange?: (v: Variable) => void;

  add(v: Variable): void {
    this.variables.push(v);
  }

  private componentMatches(v: Variable, c: WireRef['component']): boolean {
    return same(v.component, c.name) && same(v.componentInstance, c.instance) && v.evseId === c.evse?.id && v.connectorId === c.evse?.connectorId;
  }

  find(ref: WireRef): Variable | 'UnknownComponent' | 'UnknownVariable' {
    const component = this.variables.filter((v) => this.componentMatches(v, ref.component));
    if (!component.length) return 'UnknownComponent';
    return component.find((v) => same(v.variable, ref.variable.name) && same(v.variableInstance, ref.variable.instance)) ?? 'UnknownVariable';
  }

  /** The value of a station-level variable (undefined when the model lacks it). */
  get(component: string, variable: string, instance?: string): string | undefined {
    const v = this.find({ component: { name: component }, variable: { name: variable, instance } });
    return typeof v === 'string' ? undefined : v.read?.() ?? v.value;
  }

  /** Sets a value from the station's own side (no mutability check). */
  put(component: string, variable: string, value: string): void {
    const v = this.find({ component: { name: component }, variable: { name: variable } });
    if (typeof v !== 'string') v.value = value;
  }

  getVariables(items: WireRef[]): Array<Record<string, unknown>> {
    return items.map((ref) => {
      const base = { component: ref.component, variable: ref.variable, ...(ref.attributeType ? { attributeType: ref.attributeType } : {}) };
      const v = this.find(ref);
      if (typeof v === 'string') return { ...base, attributeStatus: v };
      if ((ref.attributeType ?? 'Actual') !== 'Actual') return { ...base, attributeStatus: 'NotSupportedAttributeType' };
      if (v.mutability === 'WriteOnly') return { ...base, attributeStatus: 'Rejected', attributeStatusInfo: { reasonCode: 'WriteOnly' } };
      return { ...base, attributeStatus: 'Accepted', attributeValue: v.read?.() ?? v.value };
    });
  }

  setVariables(items: Array<WireRef & { attributeValue: string }>): Array<Record<string, unknown>> {
    return items.map((ref) => {
      const base = { component: ref.component, variable: ref.variable, ...(ref.attributeType ? { attributeType: ref.attributeType } : {}) };
      const v = this.find(ref);
      if (typeof v === 'string') return { ...base, attributeStatus: v };
      if ((ref.attributeType ?? 'Actual') !== 'Actual') return { ...base, attributeStatus: 'NotSupportedAttributeType' };
      if (v.mutability === 'ReadOnly') return { ...base, attributeStatus: 'Rejected', attributeStatusInfo: { reasonCode: 'ReadOnly' } };
      if (!validValue(v, ref.attributeValue)) return { ...base, attributeStatus: 'Rejected', attributeStatusInfo: { reasonCode: 'InvalidValue', additionalInfo: `not a valid ${v.dataType}` } };
      v.value = ref.attributeValue;
      this.onChange?.(v);
      return { ...base, attributeStatus: 'Accepted' };
    });
  }

  /** ReportDataType items for GetBaseReport (B07): everything, only what can be configured, or the availability summary. */
  report(base: 'FullInventory' | 'ConfigurationInventory' | 'SummaryInventory'): Array<Record<string, unknown>> {
    const chosen = this.variables.filter((v) =>
      base === 'FullInventory' ? true : base === 'ConfigurationInventory' ? v.mutability !== 'ReadOnly' : v.variable === 'AvailabilityState');
    return chosen.map((v) => ({
      component: wireComponent(v), variable: wireVariable(v),
      variableAttribute: [{ type: 'Actual', ...(v.mutability === 'WriteOnly' ? {} : { value: v.read?.() ?? v.value }), mutability: v.mutability }],
      variableCharacteristics: { dataType: v.dataType, supportsMonitoring: false, ...(v.unit ? { unit: v.unit } : {}), ...(v.valuesList ? { valuesList: v.valuesList } : {}) },
    }));
  }
}
