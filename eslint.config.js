// Lint for every workspace, tests included: typescript-eslint with type information, React's
// hooks rules for the tab, the Vitest plugin for tests. Formatting is Prettier's (npm run format).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import vitest from "@vitest/eslint-plugin";
import globals from "globals";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/dist-test/**", "**/node_modules/**", ".cache/**", "data/**", "test-results/**", "appPackage/build/**", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        project: ["./shared/tsconfig.test.json", "./bot/tsconfig.test.json", "./tests/tsconfig.json", "./tab/tsconfig.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // The stores implement one async interface over a synchronous driver (better-sqlite3) and an
      // asynchronous one (Graph): an async method without an await is deliberate there.
      "@typescript-eslint/require-await": "off",
      // Unused names are mistakes, except a deliberately ignored `_name`.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // Time comes from the one injected clock (bot/src/clock.ts, tab/src/lib/clock.ts).
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Read the time from the injected clock, not new Date()." },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: "Read the time from the injected clock, not Date.now().",
        },
      ],
    },
  },
  {
    files: ["tab/src/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ["**/*.test.{ts,tsx}", "**/*.contract.ts", "tests/**/*.ts", "bot/test-support/**/*.ts"],
    plugins: { vitest },
    rules: {
      ...vitest.configs.recommended.rules,
      // Vitest's expect takes an optional message as its second argument.
      "vitest/valid-expect": ["error", { maxArgs: 2 }],
      // Tests read JSON off the wire and assert on its shape with expect(); typing every response
      // body by hand would copy the schemas the assertions check.
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
    },
  },
  {
    // The clocks themselves, and plain scripts outside the type-checked projects.
    files: ["bot/src/clock.ts", "tab/src/lib/clock.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    files: ["**/*.{js,mjs}"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The tab benchmark runs some of its functions inside the page.
    files: ["scripts/bench-tab.mjs"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
