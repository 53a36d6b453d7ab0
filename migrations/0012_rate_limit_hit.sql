-- Counting an event against a sliding-window limit took five round trips on the path of every task request:
-- begin, an advisory lock on the key, the count, the insert, commit. One call of this function does the same in
-- one statement. The lock is taken first and held until the calling statement's transaction ends, and each
-- statement of a PL/pgSQL function reads a fresh snapshot, so the count sees every event a racing request
-- committed before it let go of the lock: two requests still cannot both take the last slot.
CREATE FUNCTION rate_limit_hit(
    p_bucket text, p_key text, p_window_seconds float8, p_limit bigint,
    OUT allowed boolean, OUT retry_after_seconds float8
) LANGUAGE plpgsql AS $$
DECLARE
    used int;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_bucket || chr(31) || p_key, 0));
    SELECT count(*)::int, coalesce(extract(epoch FROM min(at) + make_interval(secs => p_window_seconds) - now()), 0)::float8
      INTO used, retry_after_seconds
      FROM rate_limit_events
     WHERE bucket = p_bucket AND key = p_key AND at > now() - make_interval(secs => p_window_seconds);
    allowed := used < p_limit;
    IF allowed THEN
        INSERT INTO rate_limit_events (bucket, key) VALUES (p_bucket, p_key);
    END IF;
END
$$;
