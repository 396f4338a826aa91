ALTER TABLE `id_tokens` ADD `alias` text;--> statement-breakpoint
ALTER TABLE `id_tokens` ADD `change_seq` integer;--> statement-breakpoint
CREATE INDEX `id_tokens_uid_nocase` ON `id_tokens` ("uid" COLLATE NOCASE);--> statement-breakpoint
CREATE INDEX `id_tokens_alias` ON `id_tokens` (`alias`);--> statement-breakpoint
CREATE INDEX `id_tokens_change_seq` ON `id_tokens` (`change_seq`);--> statement-breakpoint
ALTER TABLE `reservations` ADD `location_id` text;--> statement-breakpoint
ALTER TABLE `reservations` ADD `evse_uid` text;--> statement-breakpoint
ALTER TABLE `reservations` ADD `token_row_id` integer REFERENCES id_tokens(id);--> statement-breakpoint
ALTER TABLE `reservations` ADD `authorization_reference` text;--> statement-breakpoint
CREATE INDEX `reservations_status` ON `reservations` (`status`,`expires_at_ms`);