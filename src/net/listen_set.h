#pragma once
// The listening sockets a master process keeps across reloads. Each one is
// known by its address, its bind options and a slot (the worker thread that
// polls it, since every thread has its own SO_REUSEPORT socket). A reload
// asks again for every socket the new configuration needs: an unchanged key
// gets the SAME descriptor back, so connections waiting in its backlog are
// accepted by the new worker instead of being reset; new keys are bound; the
// keys nobody asked for are closed once the new worker is up.
#include <map>
#include <string>
#include <vector>

#include "net/address.h"
#include "net/socket.h"

namespace hearth::net {

class AdoptedSockets;

class ListenSet {
 public:
  // Returns: the listening socket for this key in the generation being built:
  // the current one's when it has the key, else a new one; -1 with *err.
  int get(const Address& a, const ListenOptions& o, int slot, std::string* err);
  // Returns: the socket of this key in the generation being built, else in
  // the current one; -1 if neither has it.
  int find(const Address& a, const ListenOptions& o, int slot) const;
  // The generation being built becomes the current one; the sockets only
  // the previous one had are closed.
  void commit();
  // Drops the generation being built: closes the sockets it added.
  void abort();
  // Closes every socket (current and being built).
  void close_all();
  size_t size() const { return current_.size(); }
  // Sockets received from another process (-x) for the generation being
  // built: get() takes a matching one before binding a new socket. The next
  // commit() or abort() closes the ones not taken (in each process that
  // holds a copy: the master and its new worker) and forgets `a`.
  void set_adopted(AdoptedSockets* a) { adopted_ = a; }

  // Returns: the key of a socket (the address, each option that shapes the
  // socket, and the slot). Two binds with equal keys share a socket.
  static std::string key(const Address& a, const ListenOptions& o, int slot);

 private:
  void release_adopted();

  std::map<std::string, int> current_;
  std::map<std::string, int> pending_;
  bool building_ = false;
  AdoptedSockets* adopted_ = nullptr;
};

}  // namespace hearth::net
