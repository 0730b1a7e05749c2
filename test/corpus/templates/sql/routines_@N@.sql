-- Geo helpers used by the weather features.
CREATE OR REPLACE FUNCTION `cbi-v14.«forecasting_data_warehouse.haversine_distance→raw_intelligence.fdw_haversine_distance»`(lat1 FLOAT64, lon1 FLOAT64, lat2 FLOAT64, lon2 FLOAT64)
RETURNS FLOAT64
AS (
  2 * 6371 * ASIN(SQRT(
    POW(SIN((lat2 - lat1) * ACOS(-1) / 360), 2) +
    COS(lat1 * ACOS(-1) / 180) * COS(lat2 * ACOS(-1) / 180) * POW(SIN((lon2 - lon1) * ACOS(-1) / 360), 2)
  ))
);

SELECT
  station_id,
  `cbi-v14.«forecasting_data_warehouse.haversine_distance→raw_intelligence.fdw_haversine_distance»`(lat, lon, 41.6, -93.6) AS km_from_des_moines
FROM `cbi-v14.«forecasting_data_warehouse.weather_stations→raw_intelligence.fdw_weather_stations»`
WHERE SAFE.PARSE_DATE('%F', first_seen) IS NOT NULL;

CREATE OR REPLACE PROCEDURE «forecasting_data_warehouse.refresh_@T@→raw_intelligence.fdw_refresh_@T@»()
BEGIN
  DELETE FROM «forecasting_data_warehouse.@T@→raw_intelligence.fdw_@T@» WHERE date > CURRENT_DATE();
END;
