// Types of tools/cli.mjs for the TypeScript commands.
import { Argument, Command, Option } from 'commander';

export { Argument, Command, Option };
export declare const USAGE_EXIT_CODE: 2;
export declare function command(name: string, description: string): Command;
export declare function parse<T = Record<string, unknown>>(program: Command, argv?: readonly string[]): T;
export declare function int(bounds?: { min?: number; max?: number }): (text: string) => number;
export declare function number(bounds?: { min?: number; max?: number }): (text: string) => number;
export declare function choice<const T extends string>(choices: readonly T[]): (text: string) => T;
export declare function list<const T extends string>(choices: readonly T[]): (text: string) => T[];
