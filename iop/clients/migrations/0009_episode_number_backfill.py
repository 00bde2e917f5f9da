from django.db import migrations

# Existing episodes are numbered per client in the order they were referred;
# from now on a trigger numbers each new episode after the client's last one
# (any insert: services, the demo and load seeds, COPY). The episode row of a
# client is only inserted under the client's lock or with the client itself
# (one open episode per client), and episode_number_per_client guards the rest.
FORWARD = """
UPDATE clients_episode AS episode SET number = numbered.number
FROM (
    SELECT id, row_number() OVER (
        PARTITION BY client_id ORDER BY referral_date, id
    ) AS number
    FROM clients_episode
) AS numbered
WHERE numbered.id = episode.id;

CREATE FUNCTION clients_episode_number() RETURNS trigger AS $$
BEGIN
    IF NEW.number IS NULL OR NEW.number = 0 THEN
        SELECT COALESCE(MAX(number), 0) + 1 INTO NEW.number
        FROM clients_episode WHERE client_id = NEW.client_id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER clients_episode_number BEFORE INSERT ON clients_episode
FOR EACH ROW EXECUTE FUNCTION clients_episode_number();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS clients_episode_number ON clients_episode;
DROP FUNCTION IF EXISTS clients_episode_number();
"""


class Migration(migrations.Migration):
    dependencies = [("clients", "0008_episode_number")]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=BACKWARD)]
