/** Absolute path of the committed SDL. */
export declare const schemaPath: string;
