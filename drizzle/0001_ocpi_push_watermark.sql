ALTER TABLE `ocpi_platforms` ADD `push_watermark_ms` integer;--> statement-breakpoint
CREATE INDEX `evses_location` ON `evses` (`location_id`,`id`);