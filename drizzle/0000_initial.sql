CREATE TABLE `chargers` (
	`identity` text PRIMARY KEY NOT NULL,
	`location_id` text,
	`configured` integer DEFAULT false NOT NULL,
	`protocol` text,
	`security_profile` integer,
	`vendor` text,
	`model` text,
	`serial_number` text,
	`firmware_version` text,
	`boot_status` text,
	`boot_reason` text,
	`last_boot_at_ms` integer,
	`last_heartbeat_at_ms` integer,
	`last_seen_at_ms` integer,
	`connected` integer DEFAULT false NOT NULL,
	`connected_at_ms` integer,
	`disconnected_at_ms` integer,
	`remote_address` text,
	`station_status` text,
	`configuration_json` text,
	`configuration_at_ms` integer,
	`meter_public_key` text,
	`local_list_version` integer,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `connectors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`evse_row_id` integer NOT NULL,
	`connector_id` text NOT NULL,
	`ocpp_connector_id` integer NOT NULL,
	`standard` text NOT NULL,
	`format` text NOT NULL,
	`power_type` text NOT NULL,
	`max_voltage_v` integer NOT NULL,
	`max_amperage_a` integer NOT NULL,
	`max_electric_power_w` integer,
	`tariff_ids_json` text DEFAULT '[]' NOT NULL,
	`terms_and_conditions` text,
	`status` text,
	`status_at_ms` integer,
	`last_updated_ms` integer NOT NULL,
	FOREIGN KEY (`evse_row_id`) REFERENCES `evses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `connectors_evse_connector` ON `connectors` (`evse_row_id`,`connector_id`);--> statement-breakpoint
CREATE TABLE `evses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charger_identity` text NOT NULL,
	`ocpp_id` integer NOT NULL,
	`uid` text NOT NULL,
	`evse_id` text,
	`location_id` text,
	`configured` integer DEFAULT false NOT NULL,
	`removed` integer DEFAULT false NOT NULL,
	`capabilities_json` text,
	`floor_level` text,
	`physical_reference` text,
	`meter_public_key` text,
	`status` text DEFAULT 'Unknown' NOT NULL,
	`status_at_ms` integer,
	`error_code` text,
	`vendor_error_code` text,
	`status_info` text,
	`last_updated_ms` integer NOT NULL,
	FOREIGN KEY (`charger_identity`) REFERENCES `chargers`(`identity`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `evses_charger_ocpp_id` ON `evses` (`charger_identity`,`ocpp_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `evses_uid` ON `evses` (`uid`);--> statement-breakpoint
CREATE INDEX `evses_last_updated` ON `evses` (`last_updated_ms`);--> statement-breakpoint
CREATE TABLE `faults` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charger_identity` text,
	`evse_ocpp_id` integer,
	`transaction_row_id` integer,
	`source` text NOT NULL,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`details_json` text,
	`raised_at_ms` integer NOT NULL,
	`cleared_at_ms` integer
);
--> statement-breakpoint
CREATE INDEX `faults_open` ON `faults` (`cleared_at_ms`,`charger_identity`);--> statement-breakpoint
CREATE INDEX `faults_charger` ON `faults` (`charger_identity`,`raised_at_ms`);--> statement-breakpoint
CREATE TABLE `id_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`country_code` text NOT NULL,
	`party_id` text NOT NULL,
	`uid` text NOT NULL,
	`type` text NOT NULL,
	`contract_id` text,
	`visual_number` text,
	`group_id` text,
	`valid` integer NOT NULL,
	`whitelist` text DEFAULT 'ALLOWED' NOT NULL,
	`source` text NOT NULL,
	`platform_id` integer,
	`data_json` text,
	`last_updated_ms` integer NOT NULL,
	FOREIGN KEY (`platform_id`) REFERENCES `ocpi_platforms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `id_tokens_key` ON `id_tokens` (`country_code`,`party_id`,`uid`,`type`);--> statement-breakpoint
CREATE INDEX `id_tokens_uid` ON `id_tokens` (`uid`);--> statement-breakpoint
CREATE TABLE `locations` (
	`id` text PRIMARY KEY NOT NULL,
	`data_json` text NOT NULL,
	`time_zone` text NOT NULL,
	`publish` integer DEFAULT true NOT NULL,
	`last_updated_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `meter_samples` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charger_identity` text NOT NULL,
	`evse_ocpp_id` integer,
	`transaction_row_id` integer,
	`sampled_at_ms` integer NOT NULL,
	`measurand` text NOT NULL,
	`phase` text,
	`location` text,
	`context` text,
	`value` real NOT NULL,
	`unit` text NOT NULL,
	`raw_value` text NOT NULL,
	`raw_unit` text,
	FOREIGN KEY (`transaction_row_id`) REFERENCES `transactions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meter_samples_tx` ON `meter_samples` (`transaction_row_id`,`sampled_at_ms`);--> statement-breakpoint
CREATE INDEX `meter_samples_charger` ON `meter_samples` (`charger_identity`,`sampled_at_ms`);--> statement-breakpoint
CREATE TABLE `ocpi_cdrs` (
	`id` text PRIMARY KEY NOT NULL,
	`transaction_row_id` integer,
	`platform_id` integer,
	`credit` integer DEFAULT false NOT NULL,
	`data_json` text NOT NULL,
	`last_updated_ms` integer NOT NULL,
	`delivered_at_ms` integer,
	`delivered_location` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at_ms` integer,
	`last_error` text,
	FOREIGN KEY (`transaction_row_id`) REFERENCES `transactions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`platform_id`) REFERENCES `ocpi_platforms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ocpi_cdrs_page` ON `ocpi_cdrs` (`platform_id`,`last_updated_ms`,`id`);--> statement-breakpoint
CREATE INDEX `ocpi_cdrs_undelivered` ON `ocpi_cdrs` (`delivered_at_ms`,`next_attempt_at_ms`);--> statement-breakpoint
CREATE TABLE `ocpi_parties` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform_id` integer NOT NULL,
	`country_code` text NOT NULL,
	`party_id` text NOT NULL,
	`role` text NOT NULL,
	`business_details_json` text,
	FOREIGN KEY (`platform_id`) REFERENCES `ocpi_platforms`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ocpi_parties_key` ON `ocpi_parties` (`country_code`,`party_id`,`role`);--> statement-breakpoint
CREATE TABLE `ocpi_platforms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inbound_token_hash` text,
	`outbound_token` text,
	`versions_url` text,
	`version` text,
	`endpoints_json` text DEFAULT '[]' NOT NULL,
	`status` text NOT NULL,
	`token_encoding` text DEFAULT 'base64' NOT NULL,
	`name` text,
	`registered_at_ms` integer,
	`last_seen_at_ms` integer,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ocpi_platforms_inbound_token` ON `ocpi_platforms` (`inbound_token_hash`);--> statement-breakpoint
CREATE TABLE `ocpi_push_queue` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform_id` integer NOT NULL,
	`module` text NOT NULL,
	`object_key` text NOT NULL,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`body_json` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at_ms` integer NOT NULL,
	`first_queued_at_ms` integer NOT NULL,
	`last_error` text,
	FOREIGN KEY (`platform_id`) REFERENCES `ocpi_platforms`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ocpi_push_queue_key` ON `ocpi_push_queue` (`platform_id`,`module`,`object_key`);--> statement-breakpoint
CREATE INDEX `ocpi_push_queue_due` ON `ocpi_push_queue` (`next_attempt_at_ms`);--> statement-breakpoint
CREATE TABLE `ocpi_push_status` (
	`platform_id` integer NOT NULL,
	`module` text NOT NULL,
	`last_attempt_at_ms` integer NOT NULL,
	`last_success_at_ms` integer,
	`last_outcome` text NOT NULL,
	FOREIGN KEY (`platform_id`) REFERENCES `ocpi_platforms`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ocpi_push_status_key` ON `ocpi_push_status` (`platform_id`,`module`);--> statement-breakpoint
CREATE TABLE `ocpi_registration_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`created_at_ms` integer NOT NULL,
	`used_at_ms` integer,
	`used_by_platform_id` integer
);
--> statement-breakpoint
CREATE TABLE `ocpi_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`transaction_row_id` integer NOT NULL,
	`platform_id` integer,
	`status` text NOT NULL,
	`data_json` text NOT NULL,
	`last_updated_ms` integer NOT NULL,
	FOREIGN KEY (`transaction_row_id`) REFERENCES `transactions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`platform_id`) REFERENCES `ocpi_platforms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ocpi_sessions_tx` ON `ocpi_sessions` (`transaction_row_id`);--> statement-breakpoint
CREATE INDEX `ocpi_sessions_page` ON `ocpi_sessions` (`platform_id`,`last_updated_ms`,`id`);--> statement-breakpoint
CREATE INDEX `ocpi_sessions_updated` ON `ocpi_sessions` (`last_updated_ms`,`id`);--> statement-breakpoint
CREATE TABLE `ocpp_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charger_identity` text NOT NULL,
	`direction` text NOT NULL,
	`kind` text NOT NULL,
	`action` text,
	`message_id` text,
	`payload` text NOT NULL,
	`at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ocpp_messages_charger` ON `ocpp_messages` (`charger_identity`,`id`);--> statement-breakpoint
CREATE TABLE `reservations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ocpi_reservation_id` text,
	`platform_id` integer,
	`charger_identity` text NOT NULL,
	`evse_ocpp_id` integer,
	`id_tag` text NOT NULL,
	`expires_at_ms` integer NOT NULL,
	`status` text NOT NULL,
	`response_url` text,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	FOREIGN KEY (`platform_id`) REFERENCES `ocpi_platforms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reservations_ocpi` ON `reservations` (`platform_id`,`ocpi_reservation_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `signed_meter_values` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charger_identity` text NOT NULL,
	`evse_ocpp_id` integer,
	`transaction_row_id` integer,
	`sampled_at_ms` integer NOT NULL,
	`context` text NOT NULL,
	`ocpp_context` text,
	`raw` text NOT NULL,
	`encoding_method` text,
	`signing_method` text,
	`public_key` text,
	`verification` text,
	`verification_reason` text,
	`received_at_ms` integer NOT NULL,
	FOREIGN KEY (`transaction_row_id`) REFERENCES `transactions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `signed_meter_values_tx` ON `signed_meter_values` (`transaction_row_id`,`sampled_at_ms`);--> statement-breakpoint
CREATE TABLE `tariffs` (
	`id` text PRIMARY KEY NOT NULL,
	`data_json` text NOT NULL,
	`last_updated_ms` integer NOT NULL,
	`deleted_at_ms` integer
);
--> statement-breakpoint
CREATE INDEX `tariffs_last_updated` ON `tariffs` (`last_updated_ms`,`id`);--> statement-breakpoint
CREATE TABLE `transaction_events` (
	`transaction_row_id` integer NOT NULL,
	`seq_no` integer NOT NULL,
	`event_type` text NOT NULL,
	`trigger_reason` text,
	`at_ms` integer NOT NULL,
	`offline` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`transaction_row_id`) REFERENCES `transactions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `transaction_events_key` ON `transaction_events` (`transaction_row_id`,`seq_no`);--> statement-breakpoint
CREATE TABLE `transactions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`charger_identity` text NOT NULL,
	`evse_row_id` integer,
	`connector_row_id` integer,
	`ocpp_transaction_id` text NOT NULL,
	`protocol` text NOT NULL,
	`id_tag` text,
	`id_token_type` text,
	`auth_status` text,
	`auth_method` text,
	`authorization_reference` text,
	`token_row_id` integer,
	`platform_id` integer,
	`status` text NOT NULL,
	`started_at_ms` integer,
	`ended_at_ms` integer,
	`meter_start_wh` real,
	`meter_stop_wh` real,
	`last_meter_wh` real,
	`last_power_w` real,
	`stop_reason` text,
	`charging_state` text,
	`last_seq_no` integer,
	`reservation_id` integer,
	`remote_start_id` integer,
	`orphan` integer DEFAULT false NOT NULL,
	`offline` integer DEFAULT false NOT NULL,
	`snapshot_json` text,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	FOREIGN KEY (`charger_identity`) REFERENCES `chargers`(`identity`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`evse_row_id`) REFERENCES `evses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`connector_row_id`) REFERENCES `connectors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`token_row_id`) REFERENCES `id_tokens`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`platform_id`) REFERENCES `ocpi_platforms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `transactions_charger_ocpp_id` ON `transactions` (`charger_identity`,`ocpp_transaction_id`);--> statement-breakpoint
CREATE INDEX `transactions_status` ON `transactions` (`status`,`charger_identity`);--> statement-breakpoint
CREATE INDEX `transactions_updated` ON `transactions` (`updated_at_ms`);