import socket, time, sys, os, signal
M=int(sys.argv[1]); s=socket.create_connection(('127.0.0.1',19321))
s.sendall(b'GET / HTTP/1.1\r\nhost: x\r\n\r\n'); print(s.recv(1000)[:60])
os.kill(M, signal.SIGUSR2); t=time.time(); s.settimeout(3)
try:
    d=s.recv(1000); print('after reload recv ->', d, 'in %.2fs'%(time.time()-t))
except Exception as e: print('no close within 3s:', e)
try:
    s.sendall(b'GET / HTTP/1.1\r\nhost: x\r\n\r\n'); print('second', s.recv(1000)[:80])
except Exception as e: print('second failed', e)
