export type { MoneyMovementCommand as PayoutCommand } from '../deposit/deposit.command.js';
