#!/usr/bin/env bash
# Starts any of the local PostgreSQL, Redis and RabbitMQ servers that is down (integration tests
# use them over real connections), then waits until each answers.
set -u

up_pg() { pg_isready -q -h 127.0.0.1 -p 5432; }
up_redis() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }
up_rabbit() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

start_pg() { pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start; }
start_redis() { redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null; }
start_rabbit() { rabbitmq-server -detached >/dev/null 2>&1; }

status=0
for s in pg redis rabbit; do
  if ! "up_$s"; then
    echo "ensure-servers: $s is down, starting it"
    "start_$s" || echo "ensure-servers: could not start $s"
    for _ in $(seq 1 60); do "up_$s" && break; sleep 1; done
  fi
  if ! "up_$s"; then
    echo "ensure-servers: $s is not reachable; integration tests that need it will fail" >&2
    status=1
  fi
done
# RabbitMQ accepts TCP before its AMQP listener is fully ready; wait for the node to report up.
if command -v rabbitmq-diagnostics >/dev/null 2>&1; then
  timeout 60 rabbitmq-diagnostics -q check_port_connectivity >/dev/null 2>&1 || true
fi
exit $status
