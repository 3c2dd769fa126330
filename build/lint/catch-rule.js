// An ESLint rule against swallowed errors: a catch that drops what it caught hid the worst bug of
// an earlier round (every SFTP inbox entry vanished through `.catch(() => null)`). A `catch`
// clause, or a `.catch(handler)` / `.then(ok, handler)` handler, must do one of these:
//   - use the error it caught (test it against a named case, log it, wrap it, show it);
//   - throw (map the failure to a typed error);
//   - say in a comment inside it which expected case it handles and why dropping it is right.
// Clean-up code is exempt: a handler inside a `finally` block, or inside a catch clause that
// throws afterwards, where the first error is already on its way.

/** @type {import('eslint').Rule.RuleModule} */
export const noSwallowedCatch = {
  meta: {
    type: 'problem',
    docs: { description: 'no catch that drops the error without a named reason (docs/ARCHITECTURE.md)' },
    schema: [],
    messages: {
      swallowed:
        'This catch drops the error. Use it (a named case, a log, a typed error, the item shown with its reason), throw, or say in a comment inside which expected case it handles.',
    },
  },
  create(context) {
    const source = context.sourceCode;

    const usesBinding = (param, body) => {
      if (!param) return false;
      const scope = source.getScope(body);
      const names = source.getDeclaredVariables(param.parent);
      const vars = names.length > 0 ? names : scope.variables.filter((v) => v.defs.some((d) => d.name === param));
      return vars.some((variable) => variable.references.length > 0);
    };

    const throws = (node) => {
      let found = false;
      const visit = (n) => {
        if (!n || found || typeof n.type !== 'string') return;
        if (n.type === 'ThrowStatement') {
          found = true;
          return;
        }
        // A throw inside a nested function does not throw from here.
        if (n !== node && /Function/.test(n.type)) return;
        for (const key of Object.keys(n)) {
          if (key === 'parent') continue;
          const child = n[key];
          if (Array.isArray(child)) child.forEach(visit);
          else if (child && typeof child.type === 'string') visit(child);
        }
      };
      visit(node);
      return found;
    };

    const hasComment = (node) => source.getCommentsInside(node).length > 0;

    const inCleanUp = (node) => {
      for (let n = node.parent; n; n = n.parent) {
        if (n.parent && n.parent.type === 'TryStatement' && n.parent.finalizer === n) return true;
        if (n.type === 'CatchClause' && throws(n.body)) return true;
        if (/Function/.test(n.type) && n.parent?.type !== 'CallExpression') return false;
      }
      return false;
    };

    const checkHandler = (handler) => {
      if (!handler || !/FunctionExpression/.test(handler.type)) return;
      const param = handler.params[0];
      if (param && param.type !== 'Identifier') return; // a destructured error is used
      if (param && usesBinding(param, handler.body)) return;
      if (throws(handler.body) || hasComment(handler.body) || inCleanUp(handler)) return;
      context.report({ node: handler, messageId: 'swallowed' });
    };

    return {
      CatchClause(node) {
        if (node.param && node.param.type !== 'Identifier') return;
        if (node.param && usesBinding(node.param, node.body)) return;
        if (throws(node.body) || hasComment(node.body) || inCleanUp(node)) return;
        context.report({ node, messageId: 'swallowed' });
      },
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return;
        if (callee.property.name === 'catch') checkHandler(node.arguments[0]);
        if (callee.property.name === 'then') checkHandler(node.arguments[1]);
      },
    };
  },
};
