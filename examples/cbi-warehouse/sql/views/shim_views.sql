-- bqmigrate-disable legacy-reference, shim-reference -- this file defines the shims themselves
-- Compatibility views for the 30-day grace period (created 2025-11-14).
CREATE OR REPLACE VIEW `cbi-v14.models_v4.production_training_data_1w` AS SELECT * FROM `cbi-v14.training.zl_training_prod_allhistory_1w`;
CREATE OR REPLACE VIEW `cbi-v14.models_v4.production_training_data_1m` AS SELECT * FROM `cbi-v14.training.zl_training_prod_allhistory_1m`;
CREATE OR REPLACE VIEW `cbi-v14.models_v4.production_training_data_3m` AS SELECT * FROM `cbi-v14.training.zl_training_prod_allhistory_3m`;
CREATE OR REPLACE VIEW `cbi-v14.models_v4.production_training_data_6m` AS SELECT * FROM `cbi-v14.training.zl_training_prod_allhistory_6m`;
CREATE OR REPLACE VIEW `cbi-v14.models_v4.production_training_data_12m` AS SELECT * FROM `cbi-v14.training.zl_training_prod_allhistory_12m`;
