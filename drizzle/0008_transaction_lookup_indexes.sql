CREATE INDEX `faults_transaction` ON `faults` (`transaction_row_id`);--> statement-breakpoint
CREATE INDEX `transactions_evse` ON `transactions` (`evse_row_id`,`status`);