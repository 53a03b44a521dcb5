// typedoc plugin: keeps internal base classes off the docs site without leaving holes.
//
// Some layers share an internal base that users never name (`ShapeCheckedLayer`,
// `Pool2DLayer`, `NoiseDropout`, ...). It is not exported, so typedoc would show it as an
// unlinked end of each subclass's hierarchy. This plugin makes such a subclass extend its
// nearest documented ancestor instead (`Conv2D` extends `Module`), and adds the subclass to
// that ancestor's "extended by" list. Bases from other packages (tfjs) are left as they are.
// tools/check-docs.mjs fails if an unlinked base of ours is left.
import { Converter, ReferenceType, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  // The chain of base-class symbols of every class, read while its source file is converted
  // (the type checker is only available then).
  const chains = new Map();
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Class)) return;
    const symbol = context.getSymbolFromReflection(reflection);
    if (symbol === undefined) return;
    const chain = [];
    let type = context.checker.getDeclaredTypeOfSymbol(symbol);
    for (let depth = 0; depth < 20; depth++) {
      const [base] = context.checker.getBaseTypes(type.target ?? type);
      const baseSymbol = base?.getSymbol();
      if (baseSymbol === undefined) break;
      chain.push(baseSymbol);
      type = base;
    }
    chains.set(reflection, chain);
  });

  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const { project } = context;
    for (const [reflection, chain] of chains) {
      const [extended] = reflection.extendedTypes ?? [];
      if (!(extended instanceof ReferenceType) || extended.reflection !== undefined) continue;
      if (extended.package !== undefined && !extended.package.startsWith('@tensorloom/')) continue;
      const ancestor = chain.map((s) => context.getReflectionFromSymbol(s)).find((r) => r !== undefined);
      if (ancestor === undefined) {
        reflection.extendedTypes = undefined;
        continue;
      }
      reflection.extendedTypes = [ReferenceType.createResolvedReference(ancestor.name, ancestor, project)];
      if (ancestor.isDeclaration()) {
        ancestor.extendedBy = [...(ancestor.extendedBy ?? []), ReferenceType.createResolvedReference(reflection.name, reflection, project)];
      }
    }
    chains.clear();
  });
}
