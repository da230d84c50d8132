// Flat config: typescript-eslint's type-aware recommended rules (recommendedTypeChecked) on every
// TypeScript file, and Pulumi's rules (no Output in a template literal) on the program itself:
// index.ts and components/. Type information comes from the root tsconfig.json, which includes every
// TypeScript file of the repository (the pack's too): one program for the whole lint, half the time of
// the project service, which opened policy-pack/tsconfig.json as a second program for the pack's files.
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

export default tseslint.config(
  { ignores: ["node_modules/**", "bin/**", "**/*.js", "**/*.mjs", "**/dist/**"] },
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ["**/*.ts"] })),
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { project: "./tsconfig.json", tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    files: ["index.ts", "components/**/*.ts"],
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
    },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts", "policy-pack/test-support/**/*.ts", "policy-pack/**/*.spec.ts"],
    rules: { "@typescript-eslint/no-unused-expressions": "off" },
  },
  {
    // The specs parse JSON documents (plans, stack exports, IAM policies, ASL definitions, log lines)
    // and assert on their shape: reading an `any` member is what a shape assertion does, and a failed
    // read fails the test. The rest of the type-aware rules stay on here; the source (everything
    // outside test/ and the pack's specs and test support) types what it parses and keeps the whole family on.
    files: ["test/**/*.ts", "policy-pack/test-support/**/*.ts", "policy-pack/**/*.spec.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
);
