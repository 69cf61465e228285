# Sourced by bench scripts: the nginx backend they put behind the proxies.
# hello_backend_conf DIR PORT: writes DIR/backend.conf, one worker answering
# every request with "hello world" on 127.0.0.1:PORT, keep-alive for 60 s
# (pid and error log in DIR). Start it with: nginx -c DIR/backend.conf -p DIR
hello_backend_conf() {
  cat > "$1/backend.conf" <<NG
worker_processes 1; daemon off; pid $1/bk.pid; error_log $1/bk.err;
events { worker_connections 4096; }
http { access_log off; keepalive_timeout 60s;
  server { listen 127.0.0.1:$2; location / { return 200 "hello world\n"; } } }
NG
}
