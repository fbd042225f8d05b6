-- Which words name a task: one rule for the Neovim plugin and the command.
local taskref = require "clickup.time.taskref"

local function ref(id, custom) return { id = id, custom = custom } end

describe("taskref", function()
  it("takes ClickUp's task ids, as ClickUp shows them and as Git branches carry them", function()
    assert.are.same(ref("86c7mc19h", false), taskref.parse("86c7mc19h"))
    assert.are.same(ref("1d20c7t", false), taskref.parse("1d20c7t"))
    assert.are.same(ref("86c7mc19h", false), taskref.parse("#86c7mc19h"))
    assert.are.same(ref("86c7mc19h", false), taskref.parse("CU-86c7mc19h"))
  end)

  it("takes custom ids by their pattern, marked custom", function()
    assert.are.same(ref("DEV-42", true), taskref.parse("DEV-42"))
    assert.are.same(ref("A1-7", true), taskref.parse("A1-7"))
    assert.is_nil(taskref.parse("dev-42"))
    assert.is_nil(taskref.parse("DEV42"))
    assert.is_nil(taskref.parse("#DEV-42"))
  end)

  it("never takes a word as a task only because it has a digit", function()
    for _, w in ipairs{ "v2", "2fa", "h264", "abc12", "fix", "abcdefgh", "Release1", "1.0", "" } do
      assert.is_nil(taskref.parse(w), w)
    end
  end)

  it("is configurable", function()
    assert.is_nil(taskref.parse("DEV-42", { custom_pattern = false }))
    assert.are.same(ref("PRJ_7", true), taskref.parse("PRJ_7", { custom_pattern = "^%u+_%d+$" }))
    assert.are.same(ref("abc12", false), taskref.parse("abc12", { min_id_length = 5 }))
    local function only_x(w) return w == "x" and ref("x1x1x1", false) or false end
    assert.are.same(ref("x1x1x1", false), taskref.parse("x", { is_task = only_x }))
    assert.is_nil(taskref.parse("86c7mc19h", { is_task = only_x }))
  end)

  it("splits words into a task and a description", function()
    local r, d = taskref.split{ "DEV-42", "docs" }
    assert.are.same(ref("DEV-42", true), r)
    assert.are.equal("docs", d)
    r, d = taskref.split{ "v2", "migration" }
    assert.is_nil(r)
    assert.are.equal("v2 migration", d)
    r, d = taskref.split{ "86c7mc19h" }
    assert.are.equal("86c7mc19h", r.id)
    assert.is_nil(d)
    r, d = taskref.split{}
    assert.is_nil(r)
    assert.is_nil(d)
  end)

  it("gives the request fields, custom_task_ids for a custom id", function()
    assert.are.same({ tid = "DEV-42", custom_task_ids = true }, taskref.fields(ref("DEV-42", true)))
    assert.are.same({ tid = "86c7mc19h" }, taskref.fields(ref("86c7mc19h", false)))
    assert.are.same({}, taskref.fields(nil))
  end)

  it("reads the task from branch names as ClickUp's Git integration makes them", function()
    assert.are.same(ref("86c7mc19h", false), taskref.from_branch("CU-86c7mc19h-fix-login"))
    assert.are.same(ref("86c7mc19h", false), taskref.from_branch("CU-86c7mc19h_fix-login"))
    assert.are.same(ref("86c7mc19h", false), taskref.from_branch("feature/CU-86c7mc19h"))
    assert.are.same(ref("DEV-42", true), taskref.from_branch("DEV-42-fix-login"))
    assert.are.same(ref("DEV-42", true), taskref.from_branch("bugfix/DEV-42"))
    assert.is_nil(taskref.from_branch("main"))
    assert.is_nil(taskref.from_branch("feature/login2fa"))
    assert.is_nil(taskref.from_branch("release-2"))
  end)

  it("reads the current branch from .git/HEAD, in worktrees too, without running git", function()
    local root = os.tmpname()
    os.remove(root)
    assert(os.execute(("mkdir -p %s/repo/.git %s/repo/sub/dir %s/wt %s/gitdirs/wt"):format(root, root, root, root)))
    local function write(path, s)
      local f = assert(io.open(path, "w"))
      f:write(s)
      f:close()
    end
    write(root .. "/repo/.git/HEAD", "ref: refs/heads/CU-86c7mc19h-fix-login\n")
    write(root .. "/wt/.git", "gitdir: ../gitdirs/wt\n")
    write(root .. "/gitdirs/wt/HEAD", "ref: refs/heads/DEV-42-docs\n")
    assert.are.equal("CU-86c7mc19h-fix-login", taskref.git_branch(root .. "/repo/sub/dir"))
    assert.are.equal("DEV-42-docs", taskref.git_branch(root .. "/wt"))
    write(root .. "/repo/.git/HEAD", "0123456789abcdef0123456789abcdef01234567\n")
    assert.is_nil(taskref.git_branch(root .. "/repo"))             -- detached
    assert.is_nil(taskref.git_branch(root .. "/gitdirs"))
    assert.is_nil(taskref.git_branch("relative/dir"))
    os.execute("rm -rf " .. root)
  end)
end)
