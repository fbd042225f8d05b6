-- plain output, for logs and the hooks that read them
color = false
-- Lua 5.1 to 5.4 and LuaJIT: the union of the standard libraries, plus the
-- host globals we feature-test (Neovim's vim, LuaJIT's jit).
std = "max"
read_globals = { "vim", "jit" }
max_line_length = 120
files["spec/**/*.lua"] = { std = "+busted" }
-- scripts that run inside Neovim stub parts of vim (notify, ui.select)
files["spec/nvim/*.lua"] = { globals = { "vim" } }
-- Neovim runtime files set vim.g and vim.bo fields
files["plugin/*.lua"] = { globals = { "vim" } }
