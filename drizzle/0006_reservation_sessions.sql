CREATE TABLE `reservation_sessions` (
	`session_id` text PRIMARY KEY NOT NULL,
	`reservation_row_id` integer NOT NULL,
	`platform_id` integer,
	`started_at_ms` integer NOT NULL,
	`ended_at_ms` integer,
	`outcome` text,
	`transaction_row_id` integer,
	`token_row_id` integer,
	`authorization_reference` text,
	`snapshot_json` text NOT NULL,
	`updated_at_ms` integer NOT NULL,
	FOREIGN KEY (`reservation_row_id`) REFERENCES `reservations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`platform_id`) REFERENCES `ocpi_platforms`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`transaction_row_id`) REFERENCES `transactions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`token_row_id`) REFERENCES `id_tokens`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reservation_sessions_tx` ON `reservation_sessions` (`transaction_row_id`);--> statement-breakpoint
CREATE INDEX `reservation_sessions_reservation` ON `reservation_sessions` (`reservation_row_id`,`outcome`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_ocpi_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`transaction_row_id` integer,
	`platform_id` integer,
	`status` text NOT NULL,
	`data_json` text NOT NULL,
	`last_updated_ms` integer NOT NULL,
	FOREIGN KEY (`transaction_row_id`) REFERENCES `transactions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`platform_id`) REFERENCES `ocpi_platforms`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_ocpi_sessions`("id", "transaction_row_id", "platform_id", "status", "data_json", "last_updated_ms") SELECT "id", "transaction_row_id", "platform_id", "status", "data_json", "last_updated_ms" FROM `ocpi_sessions`;--> statement-breakpoint
DROP TABLE `ocpi_sessions`;--> statement-breakpoint
ALTER TABLE `__new_ocpi_sessions` RENAME TO `ocpi_sessions`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `ocpi_sessions_tx` ON `ocpi_sessions` (`transaction_row_id`);--> statement-breakpoint
CREATE INDEX `ocpi_sessions_page` ON `ocpi_sessions` (`platform_id`,`last_updated_ms`,`id`);--> statement-breakpoint
CREATE INDEX `ocpi_sessions_updated` ON `ocpi_sessions` (`last_updated_ms`,`id`);