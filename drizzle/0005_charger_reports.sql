CREATE TABLE `charger_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charger_identity` text NOT NULL,
	`kind` text NOT NULL,
	`request_id` integer,
	`seq_no` integer,
	`tbc` integer DEFAULT false NOT NULL,
	`evse_ocpp_id` integer,
	`received_at_ms` integer NOT NULL,
	`data_json` text NOT NULL,
	FOREIGN KEY (`charger_identity`) REFERENCES `chargers`(`identity`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `charger_reports_charger_kind` ON `charger_reports` (`charger_identity`,`kind`,`received_at_ms`);