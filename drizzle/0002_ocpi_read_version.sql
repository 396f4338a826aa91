CREATE TABLE `ocpi_read_version` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
