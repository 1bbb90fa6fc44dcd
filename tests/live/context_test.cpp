// Process contexts on real processes: every value the capture records is
// checked against what /proc says of the same process (or what the traced
// program printed of itself), and the cgroup and container filters on
// cgroups these tests create.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/live/live_fixture.h"

namespace etrace::live {
namespace {

namespace fs = std::filesystem;

const char* const kNamespaces[] = {"pid", "mnt", "net", "uts", "ipc", "user", "cgroup", "time"};

uint64_t inode(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

// "Key:\tA\tB..." of a status text, as words.
std::vector<std::string> status_field(const std::string& status, const std::string& key) {
  std::istringstream lines(status);
  std::string line;
  while (std::getline(lines, line))
    if (line.rfind(key + ":", 0) == 0) {
      std::istringstream words(line.substr(key.size() + 1));
      std::vector<std::string> out;
      for (std::string w; words >> w;) out.push_back(w);
      return out;
    }
  return {};
}

// The creds object a status text describes (Uid/Gid: real, effective, saved, fs).
Json creds_from_status(const std::string& status) {
  auto uid = status_field(status, "Uid"), gid = status_field(status, "Gid");
  auto cap = status_field(status, "CapEff");
  if (uid.size() != 4 || gid.size() != 4 || cap.size() != 1) return nullptr;
  std::ostringstream hex;
  hex << "0x" << std::hex << std::stoull(cap[0], nullptr, 16);
  return Json{{"uid", std::stoll(uid[0])},  {"gid", std::stoll(gid[0])},  {"euid", std::stoll(uid[1])},
              {"egid", std::stoll(gid[1])}, {"suid", std::stoll(uid[2])}, {"sgid", std::stoll(gid[2])},
              {"fsuid", std::stoll(uid[3])}, {"fsgid", std::stoll(gid[3])}, {"cap_effective", hex.str()}};
}

std::string cgroup2_mount() {
  std::ifstream in("/proc/self/mounts");
  std::string dev, dir, type, rest;
  while (in >> dev >> dir >> type && std::getline(in, rest))
    if (type == "cgroup2") return dir;
  return {};
}

// The process's cgroup v2 path ("0::/path" in /proc/PID/cgroup).
std::string cgroup_of(int64_t pid) {
  std::istringstream lines(read_file("/proc/" + std::to_string(pid) + "/cgroup"));
  std::string line;
  while (std::getline(lines, line))
    if (line.rfind("0::", 0) == 0) return line.substr(3);
  return {};
}

// A cgroup made for one test, removed (its tasks moved out) at the end.
class ScratchCgroup {
 public:
  explicit ScratchCgroup(const std::string& relative) : path_("/" + relative), dir_(cgroup2_mount() + path_) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
  }
  ~ScratchCgroup() {
    for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it) rmdir(it->c_str());
    rmdir(dir_.c_str());
  }
  bool ok() const { return fs::exists(dir_ + "/cgroup.procs"); }
  const std::string& path() const { return path_; }
  const std::string& dir() const { return dir_; }
  // A child cgroup, removed with this one.
  std::string child(const std::string& name) {
    dirs_.push_back(dir_ + "/" + name);
    fs::create_directory(dirs_.back());
    return dirs_.back();
  }
  // Moves every thread of process `pid` into directory `dir`.
  static bool move(int64_t pid, const std::string& dir) {
    std::ofstream procs(dir + "/cgroup.procs");
    procs << pid << std::flush;
    return procs.good();
  }

 private:
  std::string path_, dir_;
  std::vector<std::string> dirs_;
};

std::string scratch_name(const char* what) { return std::string("etrace-live-") + what + "-" + std::to_string(getpid()); }

Json ctx_of(const Json& e) { return e.contains("ctx") ? e["ctx"] : Json(); }

std::vector<Json> calls_by(const std::vector<Json>& events, const std::string& comm) {
  return select(events, [&](const Json& e) { return is_call(e) && str_of(e, "comm") == comm; });
}

class ContextTest : public LiveTest {
 protected:
  void SetUp() override {
    LiveTest::SetUp();
    if (cgroup2_mount().empty()) GTEST_SKIP() << "no cgroup v2 hierarchy mounted";
  }

  // Starts a looping workload into `holder` and moves it into cgroup
  // directory `cgroup_dir` (none when empty); its pid, 0 on failure.
  int64_t start_loop(std::optional<Background>& holder, const std::string& cgroup_dir = "") {
    std::string error;
    auto started = Background::start({kWorkload, "loop"}, dir_.path(), error);
    if (!started) {
      ADD_FAILURE() << error;
      return 0;
    }
    holder.emplace(std::move(*started));
    const int64_t pid = pid_of_ready_line(*holder);
    if (pid <= 0 || (!cgroup_dir.empty() && !ScratchCgroup::move(pid, cgroup_dir))) {
      ADD_FAILURE() << "cannot start the workload in " << cgroup_dir;
      return 0;
    }
    return pid;
  }
};

// A running process traced with -p: the start-up snapshot gives its
// executable, and every recorded value is what /proc says of it.
TEST_F(ContextTest, RunningProcessMatchesProc) {
  std::optional<Background> target;
  const int64_t pid = start_loop(target);
  ASSERT_GT(pid, 0);
  const std::string proc = "/proc/" + std::to_string(pid);

  const std::string out = file("running.etrace");
  Outcome cap = capture({"-p", std::to_string(pid), "--duration", "1", "-o", out});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  auto events = decode_json(out);
  auto mine = select(events, [&](const Json& e) { return is_call(e) && int_of(e, "tid") == pid; });
  ASSERT_FALSE(mine.empty()) << summary(events);
  const std::string status = read_file(proc + "/status");
  const std::string cgroup = cgroup_of(pid);
  for (const auto& e : mine) {
    const Json ctx = ctx_of(e);
    ASSERT_TRUE(ctx.is_object()) << e.dump();
    EXPECT_EQ(int_of(ctx, "pid"), pid);
    EXPECT_EQ(int_of(ctx, "ppid"), getpid()) << "Background's child";
    EXPECT_EQ(str_of(ctx, "comm"), kWorkloadComm);
    EXPECT_EQ(str_of(ctx, "exe"), fs::read_symlink(proc + "/exe").string());
    EXPECT_EQ(ctx["creds"], creds_from_status(status));
    EXPECT_EQ(str_of(ctx["cgroup"], "path"), cgroup);
    EXPECT_EQ(int_of(ctx["cgroup"], "id"), static_cast<int64_t>(inode(cgroup2_mount() + cgroup)));
    for (const char* ns : kNamespaces)
      EXPECT_EQ(int_of(ctx["ns"], ns), static_cast<int64_t>(inode(proc + "/ns/" + ns))) << ns;
  }
}

// setpriv changes credentials, then execs cat, which prints its own.
TEST_F(ContextTest, CredentialsFollowSetprivAndExec) {
  const std::string out = file("setpriv.etrace");
  const Outcome cap = capture({"-q", "-o", out, "--", "/usr/bin/setpriv", "--reuid", "65534", "--regid", "65534",
                               "--clear-groups", "--", "/usr/bin/cat", "/proc/self/status"});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  auto events = decode_json(out);
  const Json printed = creds_from_status(cap.out);
  ASSERT_TRUE(printed.is_object()) << cap.out;
  EXPECT_EQ(printed["uid"], 65534);
  auto cats = calls_by(events, "cat");
  ASSERT_FALSE(cats.empty()) << summary(events);
  for (const auto& e : cats) {
    const Json ctx = ctx_of(e);
    EXPECT_EQ(ctx["creds"], printed) << e.dump();
    EXPECT_EQ(str_of(ctx, "exe"), "/usr/bin/cat") << e.dump();
  }
  // setpriv itself started as root and its setresuid made the change.
  auto before = calls(events, "setresuid");
  ASSERT_EQ(before.size(), 1u) << summary(events);
  EXPECT_EQ(ctx_of(before[0])["creds"]["uid"], 0);
  EXPECT_EQ(str_of(ctx_of(before[0]), "exe"), "/usr/bin/setpriv");

  Outcome text = decode({"-v", out});
  ASSERT_EQ(text.status, 0) << text.describe();
  EXPECT_NE(text.out.find("--- context uid=0->65534 euid=0->65534 suid=0->65534 fsuid=0->65534"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("exe=\"/usr/bin/setpriv\"->\"/usr/bin/cat\""), std::string::npos) << text.out;

  Outcome only = decode({"--json", "--uid", "65534", out});
  ASSERT_EQ(only.status, 0) << only.describe();
  std::string parse_error;
  auto kept = parse_json_lines(only.out, parse_error);
  ASSERT_FALSE(kept.empty());
  for (const auto& e : kept) EXPECT_EQ(ctx_of(e)["creds"]["uid"], 65534) << e.dump();
}

// unshare gives readlink new namespaces; it prints their inodes itself.
TEST_F(ContextTest, NamespacesFollowUnshare) {
  const std::string out = file("unshare.etrace");
  Outcome cap = capture({"-q", "-o", out, "--", "/usr/bin/unshare", "--uts", "--ipc", "--net", "/usr/bin/readlink",
                         "/proc/self/ns/uts", "/proc/self/ns/ipc", "/proc/self/ns/net", "/proc/self/ns/mnt"});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  const auto printed = lines_of(cap.out);
  ASSERT_EQ(printed.size(), 4u) << cap.out;
  auto events = decode_json(out);
  auto reads = calls_by(events, "readlink");
  ASSERT_FALSE(reads.empty()) << summary(events);
  const char* names[] = {"uts", "ipc", "net", "mnt"};
  for (size_t i = 0; i < 4; ++i) {
    const std::string want = printed[i];  // "uts:[4026532xxx]"
    for (const auto& e : reads)
      EXPECT_EQ(std::string(names[i]) + ":[" + std::to_string(int_of(ctx_of(e)["ns"], names[i]).value_or(0)) + "]",
                want);
  }
  // New ones: not ours, except the mount namespace unshare kept.
  const Json ctx = ctx_of(reads[0]);
  EXPECT_NE(int_of(ctx["ns"], "uts"), static_cast<int64_t>(inode("/proc/self/ns/uts")));
  EXPECT_EQ(int_of(ctx["ns"], "mnt"), static_cast<int64_t>(inode("/proc/self/ns/mnt")));
}

// --cgroup traces the tasks inside a cgroup only, as the kernel filters them.
TEST_F(ContextTest, CgroupFilterTracesOnlyTasksInside) {
  ScratchCgroup cg(scratch_name("cgroup"));
  ASSERT_TRUE(cg.ok()) << "cannot create " << cg.dir();
  std::optional<Background> inside, outside;
  const int64_t in_pid = start_loop(inside, cg.dir()), out_pid = start_loop(outside);
  ASSERT_TRUE(in_pid > 0 && out_pid > 0);

  const std::string out = file("cgroup.etrace");
  Outcome cap = capture({"--cgroup", cg.dir(), "--duration", "1", "-o", out});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  auto events = decode_json(out);
  ASSERT_FALSE(calls(events, "getpid", in_pid).empty()) << summary(events);
  for (const auto& e : events) {
    if (str_of(e, "kind") == "lost") continue;
    EXPECT_EQ(int_of(e, "pid"), in_pid) << e.dump();
    EXPECT_EQ(str_of(ctx_of(e)["cgroup"], "path"), cg.path()) << e.dump();
    EXPECT_EQ(int_of(ctx_of(e)["cgroup"], "id"), static_cast<int64_t>(inode(cg.dir()))) << e.dump();
  }
  EXPECT_TRUE(calls(events, "getpid", out_pid).empty());
  inside->stop(SIGKILL);
}

// A task moved into another cgroup while traced gets a new context.
TEST_F(ContextTest, MigrationIsRecorded) {
  ScratchCgroup cg(scratch_name("migrate"));
  ASSERT_TRUE(cg.ok()) << "cannot create " << cg.dir();
  const std::string first = cg.child("first"), second = cg.child("second");
  std::optional<Background> target;
  const int64_t pid = start_loop(target, first);
  ASSERT_GT(pid, 0);
  std::string error;

  const std::string out = file("migrate.etrace");
  auto cap = Background::launch({kCapture, "-q", "-p", std::to_string(pid), "-o", out}, dir_.path(), error);
  ASSERT_TRUE(cap.has_value()) << error;
  ASSERT_TRUE(wait_for_nonempty(out));
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(ScratchCgroup::move(pid, second));
  std::this_thread::sleep_for(300ms);
  Outcome o = cap->stop(SIGINT);
  ASSERT_EQ(o.status, 0) << o.describe();
  target->stop(SIGKILL);

  auto events = decode_json(out);
  auto mine = calls(events, "getpid", pid);
  ASSERT_FALSE(mine.empty()) << summary(events);
  EXPECT_EQ(str_of(ctx_of(mine.front())["cgroup"], "path"), cg.path() + "/first");
  EXPECT_EQ(str_of(ctx_of(mine.back())["cgroup"], "path"), cg.path() + "/second");
  EXPECT_EQ(int_of(ctx_of(mine.back())["cgroup"], "id"), static_cast<int64_t>(inode(second)));
}

// --container finds the cgroup runtimes name after the container's id.
TEST_F(ContextTest, ContainerByIdPrefix) {
  const std::string id = "e7ace0c0ffee" + std::string(52, '0');
  ScratchCgroup cg(scratch_name("container"));
  ASSERT_TRUE(cg.ok()) << "cannot create " << cg.dir();
  const std::string scope = cg.child("docker-" + id + ".scope");
  std::optional<Background> target;
  const int64_t pid = start_loop(target, scope);
  ASSERT_GT(pid, 0);

  const std::string out = file("container.etrace");
  Outcome cap = capture({"--container", id.substr(0, 12), "--duration", "1", "-o", out});
  ASSERT_EQ(cap.status, 0) << cap.describe();
  auto events = decode_json(out);
  ASSERT_FALSE(calls(events, "getpid", pid).empty()) << summary(events);
  for (const auto& e : events) {
    if (str_of(e, "kind") == "lost") continue;
    EXPECT_EQ(int_of(e, "pid"), pid) << e.dump();
    EXPECT_EQ(str_of(ctx_of(e)["cgroup"], "container"), id) << e.dump();
  }
  Outcome filtered = decode({"--json", "--container", id.substr(0, 14), out});
  ASSERT_EQ(filtered.status, 0) << filtered.describe();
  std::string error;
  EXPECT_EQ(parse_json_lines(filtered.out, error).size(), events.size()) << error;
  Outcome none = decode({"--json", "--container", "feedfeedfeedfeed", out});
  EXPECT_EQ(none.out, "");
  target->stop(SIGKILL);

  Outcome missing = capture({"--container", "feedfeedfeedfeed", "--duration", "1", "-o", file("none.etrace")});
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.err.find("no cgroup under"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace etrace::live
