-- The OCPI location read model's change counter (schema.ts ocpiReadVersion): every write that can change a
-- served Location, EVSE or Connector moves it; the bridge's OCPI layer caches serialized Locations until it does.
INSERT INTO `ocpi_read_version` (`id`, `version`) VALUES (1, 1);
--> statement-breakpoint
CREATE TRIGGER `ocpi_read_version_locations_insert` AFTER INSERT ON `locations` BEGIN UPDATE ocpi_read_version SET version = version + 1 + abs(random() % 1000000) WHERE id = 1; END;
--> statement-breakpoint
CREATE TRIGGER `ocpi_read_version_locations_update` AFTER UPDATE ON `locations` BEGIN UPDATE ocpi_read_version SET version = version + 1 + abs(random() % 1000000) WHERE id = 1; END;
--> statement-breakpoint
CREATE TRIGGER `ocpi_read_version_locations_delete` AFTER DELETE ON `locations` BEGIN UPDATE ocpi_read_version SET version = version + 1 + abs(random() % 1000000) WHERE id = 1; END;
--> statement-breakpoint
CREATE TRIGGER `ocpi_read_version_evses_insert` AFTER INSERT ON `evses` BEGIN UPDATE ocpi_read_version SET version = version + 1 + abs(random() % 1000000) WHERE id = 1; END;
--> statement-breakpoint
CREATE TRIGGER `ocpi_read_version_evses_update` AFTER UPDATE OF status, removed, last_updated_ms, uid, evse_id, location_id, capabilities_json, floor_level, physical_reference ON `evses` BEGIN UPDATE ocpi_read_version SET version = version + 1 + abs(random() % 1000000) WHERE id = 1; END;
--> statement-breakpoint
CREATE TRIGGER `ocpi_read_version_evses_delete` AFTER DELETE ON `evses` BEGIN UPDATE ocpi_read_version SET version = version + 1 + abs(random() % 1000000) WHERE id = 1; END;
--> statement-breakpoint
CREATE TRIGGER `ocpi_read_version_connectors_insert` AFTER INSERT ON `connectors` BEGIN UPDATE ocpi_read_version SET version = version + 1 + abs(random() % 1000000) WHERE id = 1; END;
--> statement-breakpoint
CREATE TRIGGER `ocpi_read_version_connectors_update` AFTER UPDATE OF connector_id, standard, format, power_type, max_voltage_v, max_amperage_a, max_electric_power_w, tariff_ids_json, terms_and_conditions, last_updated_ms ON `connectors` BEGIN UPDATE ocpi_read_version SET version = version + 1 + abs(random() % 1000000) WHERE id = 1; END;
--> statement-breakpoint
CREATE TRIGGER `ocpi_read_version_connectors_delete` AFTER DELETE ON `connectors` BEGIN UPDATE ocpi_read_version SET version = version + 1 + abs(random() % 1000000) WHERE id = 1; END;
--> statement-breakpoint
CREATE TRIGGER `ocpi_read_version_chargers_update` AFTER UPDATE OF connected, connected_at_ms, disconnected_at_ms, last_boot_at_ms, boot_status, station_status, location_id ON `chargers` BEGIN UPDATE ocpi_read_version SET version = version + 1 + abs(random() % 1000000) WHERE id = 1; END;
