/**
 * The OCPP 1.6J adapter (subprotocol `ocpp1.6`): what a 1.6 charge point may send us and the commands we
 * send it. Reading this table tells a newcomer what 1.6 supports: core, firmware, local list, reservation,
 * smart charging, remote trigger, and the Security Whitepaper messages. Imports domain/ and shared ocpp/
 * files only, never v201/.
 */
import type { ProtocolAdapter } from '../adapter.js';
import { authorize } from './authorize.js';
import { bootNotification } from './boot-notification.js';
import { v16Commands } from './commands.js';
import { dataTransfer } from './data-transfer.js';
import { heartbeat } from './heartbeat.js';
import { meterValues } from './meter-values.js';
import {
  diagnosticsStatusNotification, firmwareStatusNotification, logStatusNotification, securityEventNotification, signCertificate,
  signedFirmwareStatusNotification,
} from './notifications.js';
import { startTransaction } from './start-transaction.js';
import { statusNotification } from './status-notification.js';
import { stopTransaction } from './stop-transaction.js';

export const v16Adapter: ProtocolAdapter = {
  protocol: 'ocpp1.6',
  handlers: {
    BootNotification: bootNotification,
    Heartbeat: heartbeat,
    StatusNotification: statusNotification,
    Authorize: authorize,
    StartTransaction: startTransaction,
    StopTransaction: stopTransaction,
    MeterValues: meterValues,
    DataTransfer: dataTransfer,
    DiagnosticsStatusNotification: diagnosticsStatusNotification,
    FirmwareStatusNotification: firmwareStatusNotification,
    SecurityEventNotification: securityEventNotification,
    SignCertificate: signCertificate,
    LogStatusNotification: logStatusNotification,
    SignedFirmwareStatusNotification: signedFirmwareStatusNotification,
  },
  commands: v16Commands,
};
