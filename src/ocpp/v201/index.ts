/**
 * The OCPP 2.0.1 adapter (subprotocol `ocpp2.0.1`): what a 2.0.1 charging station may send us and the
 * commands we send it, mapped into the same version-neutral model as 1.6, so OCPI cannot tell the two
 * apart. Reading this table tells a newcomer what 2.0.1 supports; any other action gets NotImplemented
 * from ocpp-rpc. Imports domain/ and shared ocpp/ files only, never v16/.
 */
import type { ProtocolAdapter } from '../adapter.js';
import { authorize } from './authorize.js';
import { bootNotification } from './boot-notification.js';
import { get15118EVCertificate, getCertificateStatus, signCertificate } from './certificates.js';
import { v201Commands } from './commands.js';
import { dataTransfer } from './data-transfer.js';
import { heartbeat } from './heartbeat.js';
import { meterValues } from './meter-values.js';
import {
  clearedChargingLimit, firmwareStatusNotification, logStatusNotification, notifyChargingLimit, notifyCustomerInformation,
  notifyDisplayMessages, notifyEVChargingNeeds, notifyEVChargingSchedule, notifyMonitoringReport, publishFirmwareStatusNotification,
  reportChargingProfiles, reservationStatusUpdate, securityEventNotification,
} from './notifications.js';
import { notifyEvent } from './notify-event.js';
import { createReportAssembler, notifyReport } from './notify-report.js';
import { statusNotification } from './status-notification.js';
import { transactionEvent } from './transaction-event.js';

/** One adapter per bridge: it holds the device-model report pages still being collected. */
export function createV201Adapter(): ProtocolAdapter {
  return {
    protocol: 'ocpp2.0.1',
    handlers: {
      // B Provisioning
      BootNotification: bootNotification,
      Heartbeat: heartbeat,
      NotifyReport: notifyReport(createReportAssembler()),
      // C Authorization
      Authorize: authorize,
      // E Transactions, J Meter values
      TransactionEvent: transactionEvent,
      MeterValues: meterValues,
      // G Availability, N Diagnostics
      StatusNotification: statusNotification,
      NotifyEvent: notifyEvent,
      NotifyMonitoringReport: notifyMonitoringReport,
      LogStatusNotification: logStatusNotification,
      NotifyCustomerInformation: notifyCustomerInformation,
      // A Security, M ISO 15118 certificates
      SecurityEventNotification: securityEventNotification,
      SignCertificate: signCertificate,
      Get15118EVCertificate: get15118EVCertificate,
      GetCertificateStatus: getCertificateStatus,
      // L Firmware
      FirmwareStatusNotification: firmwareStatusNotification,
      PublishFirmwareStatusNotification: publishFirmwareStatusNotification,
      // K Smart charging
      ReportChargingProfiles: reportChargingProfiles,
      NotifyEVChargingNeeds: notifyEVChargingNeeds,
      NotifyEVChargingSchedule: notifyEVChargingSchedule,
      NotifyChargingLimit: notifyChargingLimit,
      ClearedChargingLimit: clearedChargingLimit,
      // H Reservation, O Display messages, P DataTransfer
      ReservationStatusUpdate: reservationStatusUpdate,
      NotifyDisplayMessages: notifyDisplayMessages,
      DataTransfer: dataTransfer,
    },
    commands: v201Commands,
  };
}
