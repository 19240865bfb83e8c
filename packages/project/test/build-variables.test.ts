import { expandBuildVariables, hasBuildVariable } from '../src';

describe('build variables', () => {
  const settings = { PRODUCT_BUNDLE_IDENTIFIER: 'com.example.$(PRODUCT_NAME:rfc1034identifier)', PRODUCT_NAME: 'My App_2' };

  it('detects $(VAR) and ${VAR} references', () => {
    expect(hasBuildVariable('$(PRODUCT_BUNDLE_IDENTIFIER).refresh')).toBe(true);
    expect(hasBuildVariable('${PRODUCT_NAME}')).toBe(true);
    expect(hasBuildVariable('com.example.refresh')).toBe(false);
    expect(hasBuildVariable('costs $5')).toBe(false);
  });

  it('expands nested references and modifiers', () => {
    expect(expandBuildVariables('$(PRODUCT_BUNDLE_IDENTIFIER).refresh', settings)).toBe('com.example.My-App-2.refresh');
    expect(expandBuildVariables('${PRODUCT_NAME:lower}', settings)).toBe('my app_2');
  });

  it('gives undefined when any variable is unknown', () => {
    expect(expandBuildVariables('$(PRODUCT_BUNDLE_IDENTIFIER).$(UNKNOWN)', settings)).toBeUndefined();
    expect(expandBuildVariables('$(PRODUCT_NAME:nosuchmodifier)', settings)).toBeUndefined();
  });

  it('stops on self-referencing settings', () => {
    expect(expandBuildVariables('$(A)', { A: '$(B)', B: '$(A)' })).toBeUndefined();
  });
});
